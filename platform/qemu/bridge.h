#pragma once
// The model as the remote process of QEMU 7.2's x-pci-proxy-dev (docs/qemu.md).
//
// A receiver thread reads the proxy's messages and hands them, in order, to an SC_THREAD
// (async_request_update; the module attaches as an async-suspending channel so sc_start() sleeps
// instead of ending while the guest is quiet). The SC_THREAD turns config and BAR accesses into
// TLM transactions on cfg_out/mem_out, answers each request with exactly one RET, remaps guest
// RAM on SYNC_SYSMEM (served to the device's DMA on dma_in) and resets on DEVICE_RESET.
// BAR writes are answered before they are performed (in order), so a doorbell costs the vCPU one
// socket round trip and the controller works on in SystemC while the guest runs.
//
// INTx: the level on intx_in is signalled, on each 0→1 edge and whenever it is still high after
// a BAR write, through (a) the KVM irqfd, re-signalled on resamplefd while high, and (b) an
// optional "irq chardev": a socket to QEMU's chardev of a pci-serial device sharing the proxy's
// PIRQ, where one written byte raises the UART's receive interrupt, so Linux's shared nvme
// handler runs under TCG (no irqfd there). A level left high for rekick_interval without any
// guest reaction is signalled again (lost-interrupt insurance, e.g. before the guest opened the
// serial port). Serial-port bytes are paced (irq_pacer): a waiting guest gets each at once, at
// most one per gap; a guest that keeps commands queued gets them in batches. Deferred bytes are
// sent by the receiver thread.
#include "platform/qemu/channel.h"
#include "platform/qemu/guest_memory.h"
#include "platform/qemu/guest_memory_target.h"
#include "platform/qemu/irq_pacer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <systemc>
#include <thread>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

namespace znssim::platform {

struct qemu_bridge_stats {
    std::uint64_t config_reads = 0, config_writes = 0;
    std::uint64_t bar_reads = 0, bar_writes = 0, bar_errors = 0;
    std::uint64_t syncs = 0, resets = 0, unknown = 0;
    std::uint64_t irq_signals = 0; ///< irqfd/chardev signals sent
    std::uint64_t posted_acks = 0; ///< BAR writes acknowledged on arrival by the receiver
};

class qemu_bridge : public sc_core::sc_module {
    // Before the sockets: dma_in refers to m_ram's socket, and naming a member of an object
    // whose construction has not begun is undefined (UBSan's vptr check found it).
    guest_memory m_memory;
    guest_memory_target m_ram;

  public:
    /// → pci_nvme.cfg_in (config offset, 1/2/4 bytes)
    tlm_utils::simple_initiator_socket<qemu_bridge> cfg_out;
    /// → pci_nvme.mem_in (absolute bus address)
    tlm_utils::simple_initiator_socket<qemu_bridge> mem_out;
    tlm_utils::simple_target_socket<guest_memory_target>& dma_in; ///< ← pci_nvme.dma_out
    sc_core::sc_in<bool> intx_in;                                 ///< ← pci_nvme.intx_out

    SC_HAS_PROCESS(qemu_bridge);
    /// Takes ownership of socket_fd, the remote end of the proxy's AF_UNIX stream socket.
    qemu_bridge(const sc_core::sc_module_name& name, int socket_fd);
    ~qemu_bridge() override;

    /// DEVICE_RESET calls this (the platform binds pci_nvme::reset) before replying.
    void set_reset_handler(std::function<void()> fn) { m_reset = std::move(fn); }
    /// Called on the SystemC thread once QEMU closed the socket; default sc_stop().
    void set_eof_handler(std::function<void()> fn) { m_on_eof = std::move(fn); }
    /// Takes ownership of a connected stream socket to QEMU's irq-sharing serial chardev.
    /// Call before sc_start().
    void set_irq_chardev(int fd);
    void set_rekick_interval(std::chrono::milliseconds ms) { m_rekick = ms; }
    /// How the serial port's interrupts are paced (irq_pacer).
    void set_irq_pacing(const irq_pacing& p);

    bool peer_closed() const { return m_peer_closed; }
    const qemu_bridge_stats& stats() const { return m_stats; }
    guest_memory& memory() { return m_memory; }

  private:
    /// Wakes the SystemC side from the receiver thread.
    class async_event : public sc_core::sc_prim_channel {
      public:
        explicit async_event(const char* name) : sc_core::sc_prim_channel(name) {}
        void post() { async_request_update(); }
        bool attach() { return async_attach_suspending(); }
        bool detach() { return async_detach_suspending(); }
        const sc_core::sc_event& event() const { return m_event; }

      private:
        void update() override { m_event.notify(sc_core::SC_ZERO_TIME); }
        sc_core::sc_event m_event;
    };

    static constexpr std::size_t queue_slots = 32;

    void start_of_simulation() override;
    void end_of_simulation() override;

    // receiver thread
    void receive_loop();
    void handle_set_irqfd(mpqemu::message& m);
    bool push(mpqemu::message& m);
    // SystemC side
    void serve();
    void dispatch(mpqemu::message& m);
    void on_config(mpqemu::message& m, bool write);
    void on_bar(mpqemu::message& m, bool write);
    void on_sync(mpqemu::message& m);
    void on_reset();
    void on_intx();
    void on_recheck();
    tlm::tlm_response_status transact(tlm::tlm_initiator_socket<>& socket, tlm::tlm_command cmd,
                                      std::uint64_t addr, void* data, unsigned len);
    void reply(std::uint64_t value);
    // either thread
    void signal_irq();
    void note_guest_activity();
    void wake_receiver();     ///< its poll recomputes the deferred byte's deadline
    void send_irq_byte();     ///< m_irq_mutex held; the pacer agreed
    void send_due_irq_byte(); ///< receiver thread: a deferred byte whose time came
    void stop_receiver();

    mpqemu::channel m_channel;
    async_event m_wakeup;
    sc_core::sc_event m_recheck;
    bool m_wrote_unreaped = false; ///< a BAR write found the level high: recheck it after

    tlm::tlm_generic_payload m_payload;

    std::function<void()> m_reset;
    std::function<void()> m_on_eof;
    std::chrono::milliseconds m_rekick{20};

    // queue from the receiver thread (fixed slots: receiving never allocates)
    std::mutex m_queue_mutex;
    std::condition_variable m_queue_space;
    mpqemu::message m_queue[queue_slots];
    std::size_t m_head = 0, m_count = 0;
    bool m_receiver_done = false; ///< eof or error: nothing more will be queued
    bool m_stopping = false;

    // interrupt state shared with the receiver thread
    std::mutex m_irq_mutex;
    int m_irqfd = -1, m_resamplefd = -1, m_chardev = -1;
    int m_poke = -1; ///< eventfd: wakes the receiver's poll for a deferred byte
    irq_pacer m_pacer;
    std::atomic<bool> m_level{false};
    std::atomic<std::int64_t> m_last_signal_ns{0};

    std::thread m_receiver;
    bool m_attached = false;
    bool m_peer_closed = false;
    qemu_bridge_stats m_stats;
    std::atomic<std::uint64_t> m_irq_signals{0};
    std::atomic<std::uint64_t> m_posted_acks{0};
};

} // namespace znssim::platform
