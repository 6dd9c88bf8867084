// The QEMU bridge with a real pci_nvme against a fake proxy that speaks QEMU 7.2's bytes over a
// socketpair: memory sync (memfd), SET_IRQFD, the proxy's realize-time probe (§3.1 of the
// reference), DEVICE_RESET, BAR programming, controller enable, an admin Identify through guest
// memory with an INTx signal on the irqfd and on the irq chardev, a SYNC flood without fd leaks,
// and EOF. The fake proxy records what it saw; doctest checks it after the simulation ended.
// Self-contained: its own sc_main.
#define DOCTEST_CONFIG_IMPLEMENT
#include "model/sim/sc_scheduler.h"
#include "model/timing/media_timing.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/pci_nvme.h"
#include "platform/namespace_factory.h"
#include "platform/qemu/bridge.h"
#include "platform/qemu/channel.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <poll.h>
#include <string>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace znssim;
using namespace znssim::platform;
using namespace znssim::platform::mpqemu;

namespace {

constexpr std::uint64_t ram_size = 4 << 20;
constexpr std::uint64_t bar0 = 0xfebf0000;
constexpr std::uint64_t asq = 0x10000, acq = 0x20000, id_buf = 0x30000;

int fd_count() {
    DIR* d = ::opendir("/proc/self/fd");
    int n = 0;
    while (::readdir(d) != nullptr)
        ++n;
    ::closedir(d);
    return n;
}

/// Everything the fake proxy observed.
struct observed {
    std::uint32_t vendor = 0, device = 0, class_code = 0, subsystem = 0;
    std::uint32_t bar_size[7] = {};
    std::uint32_t bar_orig[7] = {};
    std::uint32_t pin = 0, cap_ptr = 0, status = 0, status_after_ack = 0;
    std::uint64_t cap = 0;
    std::uint32_t vs = 0, csts = 0;
    bool ready = false;
    std::uint64_t irq_count = 0;
    int chardev_bytes = 0;
    std::uint16_t cqe_cid = 0, cqe_status = 0xffff;
    std::string serial;
    std::uint16_t id_vid = 0;
    std::uint64_t unmapped_read = 0;
    std::uint32_t narrow_read = 0;
    int fds_before_flood = 0, fds_after_flood = 0;
    std::string failure; ///< protocol-level failure (no reply, ...)
};

/// Plays QEMU's side of the link.
class fake_proxy {
  public:
    fake_proxy(int fd, int irq_chardev) : m_ch(fd), m_chardev(irq_chardev) {
        m_memfd = ::memfd_create("fake-guest-ram", MFD_CLOEXEC);
        if (m_memfd < 0 || ::ftruncate(m_memfd, ram_size) != 0) std::abort();
        m_ram = static_cast<unsigned char*>(
            ::mmap(nullptr, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, m_memfd, 0));
        m_irqfd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        m_resamplefd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    }
    ~fake_proxy() {
        ::munmap(m_ram, ram_size);
        ::close(m_memfd);
        ::close(m_irqfd);
        ::close(m_resamplefd);
    }

    void abort() { m_ch.shutdown(); }
    void run(observed& o) {
        try {
            play(o);
        } catch (const std::exception& e) {
            o.failure = e.what();
        }
        m_ch.shutdown(); // QEMU exits: the bridge sees EOF and stops the simulation
    }

  private:
    std::uint64_t request(command cmd, const void* payload, std::size_t size) {
        if (!m_ch.send(static_cast<std::int32_t>(cmd), payload, size))
            throw std::runtime_error("send failed");
        message m;
        std::string error;
        if (m_ch.receive(m, error) != receive_status::ok || m.cmd != 1)
            throw std::runtime_error("no RET for " + std::string(command_name(int(cmd))));
        return m.size >= 8 ? m.as<std::uint64_t>() : 0;
    }
    std::uint32_t cfg_read(std::uint32_t addr, int len) {
        pci_conf_data d{addr, 0, len};
        std::uint64_t v = request(command::pci_cfgread, &d, sizeof d);
        if (v == ~0ull) throw std::runtime_error("config read answered all-ones (64-bit)");
        return static_cast<std::uint32_t>(v);
    }
    void cfg_write(std::uint32_t addr, std::uint32_t val, int len) {
        pci_conf_data d{addr, val, len};
        request(command::pci_cfgwrite, &d, sizeof d);
    }
    std::uint64_t bar_read(std::uint64_t off, unsigned size) {
        bar_access b{bar0 + off, 0, size, 1, {}};
        return request(command::bar_read, &b, sizeof b);
    }
    void bar_write(std::uint64_t off, std::uint64_t val, unsigned size) {
        bar_access b{bar0 + off, val, size, 1, {}};
        request(command::bar_write, &b, sizeof b);
    }
    void sync() {
        sync_sysmem s{};
        s.gpas[0] = 0;
        s.sizes[0] = 0xc0000;
        s.gpas[1] = 0x100000;
        s.sizes[1] = ram_size - 0x100000;
        s.offsets[1] = 0x100000;
        int fds[2] = {m_memfd, m_memfd};
        if (!m_ch.send(0, &s, sizeof s, fds, 2)) throw std::runtime_error("sync send failed");
    }
    std::uint64_t wait_irq(int timeout_ms) {
        pollfd p{m_irqfd, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) != 1) return 0;
        std::uint64_t n = 0;
        return ::read(m_irqfd, &n, sizeof n) == 8 ? n : 0;
    }

    void play(observed& o) {
        // §3.1: the listener's first SYNC, then SET_IRQFD, then the probe, then the reset.
        sync();
        int irq_fds[2] = {m_irqfd, m_resamplefd};
        m_ch.send(static_cast<std::int32_t>(command::set_irqfd), nullptr, 0, irq_fds, 2);
        o.vendor = cfg_read(0x00, 2);
        o.device = cfg_read(0x02, 2);
        o.class_code = cfg_read(0x0a, 2);
        o.subsystem = cfg_read(0x2e, 2);
        for (unsigned i = 0; i < 7; ++i) {
            std::uint32_t off = 0x10 + 4 * i;
            o.bar_orig[i] = cfg_read(off, 4);
            cfg_write(off, 0xffffffff, 4);
            o.bar_size[i] = cfg_read(off, 4);
            cfg_write(off, o.bar_orig[i], 4);
        }
        request(command::device_reset, nullptr, 0);
        o.pin = cfg_read(0x3d, 1);
        o.cap_ptr = cfg_read(0x34, 1);
        o.status = cfg_read(0x06, 2);

        // Firmware: BAR0, then memory + bus master.
        cfg_write(0x10, static_cast<std::uint32_t>(bar0), 4);
        cfg_write(0x04, 0x0006, 2);
        o.cap = bar_read(0x0, 8);
        o.vs = static_cast<std::uint32_t>(bar_read(0x8, 4));
        o.narrow_read = static_cast<std::uint32_t>(bar_read(0x8, 2));
        {
            bar_access b{0xe0000000, 0, 4, 1, {}}; // nobody's BAR: master abort
            o.unmapped_read = request(command::bar_read, &b, sizeof b);
        }

        // Driver: admin queues, enable, Identify Controller.
        bar_write(0x24, (31u << 16) | 31u, 4);
        bar_write(0x28, asq, 8);
        bar_write(0x30, acq, 8);
        bar_write(0x14, 0x00460001, 4);
        for (int i = 0; i < 2000 && !o.ready; ++i) {
            o.csts = static_cast<std::uint32_t>(bar_read(0x1c, 4));
            o.ready = (o.csts & 1) != 0;
            if (!o.ready) ::usleep(1000);
        }
        unsigned char sqe[64] = {};
        sqe[0] = 0x06; // Identify
        sqe[2] = 0x34; // CID 0x1234
        sqe[3] = 0x12;
        std::uint64_t prp1 = id_buf;
        std::memcpy(sqe + 24, &prp1, 8);
        sqe[40] = 1; // CNS 1: controller
        std::memcpy(m_ram + asq, sqe, sizeof sqe);
        bar_write(0x1000, 1, 4); // SQ0 tail
        o.irq_count = wait_irq(5000);
        if (m_chardev >= 0) {
            pollfd p{m_chardev, POLLIN, 0};
            char buf[64];
            if (::poll(&p, 1, 1000) == 1)
                o.chardev_bytes = static_cast<int>(::read(m_chardev, buf, sizeof buf));
        }
        std::memcpy(&o.cqe_cid, m_ram + acq + 12, 2);
        std::memcpy(&o.cqe_status, m_ram + acq + 14, 2);
        std::memcpy(&o.id_vid, m_ram + id_buf, 2);
        o.serial.assign(reinterpret_cast<const char*>(m_ram + id_buf + 4), 20);
        bar_write(0x1004, 1, 4); // CQ0 head: the level drops
        o.status_after_ack = cfg_read(0x06, 2);

        // A SYNC flood with fresh fds must not leak: count after a synchronous round trip.
        o.fds_before_flood = fd_count();
        for (int i = 0; i < 100; ++i)
            sync();
        cfg_read(0x00, 2);
        o.fds_after_flood = fd_count();
    }

    channel m_ch;
    int m_chardev;
    int m_memfd, m_irqfd, m_resamplefd;
    unsigned char* m_ram;
};

void proxy_abort(fake_proxy& p) {
    p.abort();
}

observed g_seen;
qemu_bridge_stats g_stats;
bool g_peer_closed = false;

} // namespace

TEST_CASE("qemu bridge answers the proxy's realize probe from the real config space") {
    CHECK(g_seen.failure == "");
    CHECK(g_seen.vendor == 0x1b36);
    CHECK(g_seen.class_code == 0x0108);
    CHECK(g_seen.bar_size[0] == 0xffffc000u); // 16 KiB, 32-bit memory, non-prefetchable
    for (unsigned i = 1; i < 7; ++i)
        CHECK(g_seen.bar_size[i] == 0); // BAR1-5 and 0x28 (CardBus CIS) read 0
    CHECK(g_seen.pin == 1);
    CHECK(g_seen.cap_ptr == 0);
    CHECK((g_seen.status & 0x10) == 0);
}

TEST_CASE("qemu bridge forwards BAR accesses at their bus address") {
    CHECK((g_seen.cap & 0xffff) != 0); // CAP.MQES
    CHECK(g_seen.vs >= 0x00010400);
    CHECK(g_seen.narrow_read == (g_seen.vs & 0xffff));
    CHECK(g_seen.unmapped_read == 0xffffffffu); // master abort, truncated to the access size
    CHECK(g_seen.ready);
}

TEST_CASE("qemu bridge serves an admin Identify through guest memory and signals INTx") {
    CHECK(g_seen.cqe_cid == 0x1234);
    CHECK((g_seen.cqe_status & 1) == 1);  // phase tag
    CHECK((g_seen.cqe_status >> 1) == 0); // success
    CHECK(g_seen.id_vid == 0x1b36);
    CHECK(g_seen.serial.rfind("ZNSQEMUBRIDGE", 0) == 0);
    CHECK(g_seen.irq_count >= 1);
    CHECK(g_seen.chardev_bytes >= 1);
    CHECK((g_seen.status_after_ack & 0x08) == 0); // Interrupt Status cleared after the CQ head
}

TEST_CASE("qemu bridge closes every fd of a SYNC flood and stops on EOF") {
    CHECK(g_seen.fds_after_flood == g_seen.fds_before_flood);
    CHECK(g_stats.syncs == 101);
    CHECK(g_stats.resets == 1);
    CHECK(g_stats.config_reads >= 20);
    CHECK(g_peer_closed);
}

int sc_main(int argc, char** argv) {
    char dir[] = "/tmp/znssim-qemu-bridge-XXXXXX";
    if (::mkdtemp(dir) == nullptr) return 2;
    nvme::namespace_params ns;
    ns.nsid = 1;
    ns.image = std::string(dir) + "/ns1.img";
    ns.lba_size = 512;
    ns.capacity_lbas = 2048;
    nvme::controller_params ctrl;
    ctrl.serial = "ZNSQEMUBRIDGE";
    pcie::function_params fn;
    fn.capabilities = false;
    fn.bar0_64bit = false;
    fn.msix_vectors = 0;

    sc_scheduler zone_timers("zone_timers");
    std::vector<std::unique_ptr<nvme::nvme_namespace>> namespaces;
    namespaces.push_back(make_namespace(ns, ctrl, zone_timers));
    zero_time_media timing;
    int link[2], irq[2];
    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, link);
    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, irq);

    nvme::pci_nvme device("nvme", fn, ctrl, std::move(namespaces), {&nvme::nvm_command_set()},
                          timing, &zone_timers);
    qemu_bridge bridge("qemu", link[0]);
    // INTA#: driven by one process of the PCIe function, whoever changed the interrupt state.
    sc_core::sc_signal<bool> intx("intx");
    bridge.cfg_out.bind(device.cfg_in);
    bridge.mem_out.bind(device.mem_in);
    device.dma_out.bind(bridge.dma_in);
    device.intx_out.bind(intx);
    bridge.intx_in.bind(intx);
    bridge.set_reset_handler([&] { device.reset(); });
    bridge.set_irq_chardev(irq[0]);

    fake_proxy proxy(link[1], irq[1]);
    std::thread qemu([&] { proxy.run(g_seen); });
    std::string sim_error;
    try {
        sc_core::sc_start();
    } catch (const std::exception& e) {
        sim_error = e.what();
        proxy_abort(proxy);
    }
    qemu.join();
    if (!sim_error.empty()) {
        std::fprintf(stderr, "simulation failed: %s\n", sim_error.c_str());
        return 1;
    }
    g_stats = bridge.stats();
    g_peer_closed = bridge.peer_closed();
    device.shutdown();
    ::close(irq[1]);

    doctest::Context context(argc, argv);
    int rc = context.run();
    std::string cleanup = std::string("rm -rf ") + dir;
    (void)std::system(cleanup.c_str());
    return rc;
}
