// Throughput benchmark (see bench/throughput): the whole platform — reference driver, root
// complex, PCIe function, controller, conventional namespace on a sparse image — in untimed mode,
// 4 KiB random reads and writes at queue depth 32. Prints simulated commands completed per
// wall-clock second and the model's cost as a ratio of the floor (bench/floor.h).
#include "bench/floor.h"
#include "platform/system.h"

#include <CLI/CLI.hpp>
#include <systemc>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <unistd.h>

using namespace znssim;

namespace {

struct options {
    std::uint64_t commands = 1'000'000;
    unsigned queue_depth = 32;
    double read_fraction = 0.5;
    std::uint64_t lbas = 16384; // 64 MiB namespace
    std::uint64_t floor_iterations = 3'000'000;
};

class bench_runner : public sc_core::sc_module {
  public:
    SC_HAS_PROCESS(bench_runner);
    bench_runner(const sc_core::sc_module_name& name, platform::system& sys,
                 bench::floor_module& floor, const options& opt)
        : sc_core::sc_module(name), m_sys(sys), m_floor(floor), m_opt(opt) {
        SC_THREAD(run);
    }
    double floor_rate = 0, model_rate = 0, wall = 0;
    std::uint64_t completed = 0, errors = 0;
    bool ok = false;

  private:
    // Keeps 'qd' commands in flight; each completion is replaced by a new command.
    bool pump(std::uint64_t total, bool sequential_writes, std::uint64_t& done_count,
              std::uint64_t& err_count) {
        auto& d = m_sys.driver();
        const std::uint16_t qid = d.io_queue_ids().front();
        std::vector<platform::dma_buffer> bufs;
        for (unsigned i = 0; i < m_opt.queue_depth; ++i)
            bufs.push_back(d.alloc(4096));
        std::mt19937_64 rng(42);
        std::uint64_t submitted = 0, next_lba = 0;
        std::vector<unsigned> free_bufs;
        for (unsigned i = 0; i < m_opt.queue_depth; ++i)
            free_bufs.push_back(i);
        std::vector<unsigned> buf_of_cid(65536, 0);
        auto submit_one = [&]() {
            const unsigned b = free_bufs.back();
            free_bufs.pop_back();
            const bool is_read = !sequential_writes &&
                                 (rng() % 1000) < static_cast<unsigned>(m_opt.read_fraction * 1000);
            const std::uint64_t lba = sequential_writes ? next_lba++ : rng() % m_opt.lbas;
            auto sqe = platform::host_driver::make_sqe(is_read ? 0x02 : 0x01, 1);
            sqe.cdw10 = static_cast<std::uint32_t>(lba);
            sqe.cdw11 = static_cast<std::uint32_t>(lba >> 32);
            const auto t = d.submit_async(qid, sqe, bufs[b].bus(), 4096);
            if (!t.valid()) return false;
            buf_of_cid[t.cid] = b;
            ++submitted;
            return true;
        };
        while (submitted < total && !free_bufs.empty())
            if (!submit_one()) return false;
        while (done_count < total) {
            const platform::completion c = d.wait_any(qid);
            if (c.timed_out || !c.submitted) return false;
            ++done_count;
            if (!c.status.ok()) ++err_count;
            free_bufs.push_back(buf_of_cid[c.cid]);
            if (submitted < total && !submit_one()) return false;
        }
        return true;
    }

    void run() {
        floor_rate = m_floor.run(m_opt.floor_iterations);
        auto& d = m_sys.driver();
        if (!d.start()) {
            std::fprintf(stderr, "bench: controller bring-up failed: %s\n", d.failure().c_str());
            sc_core::sc_stop();
            return;
        }
        // Warm-up: write every LBA once so the image's pages exist and are mapped; the timed run
        // then measures the model, not first-touch page faults of a sparse file.
        std::uint64_t warm_done = 0, warm_err = 0;
        if (!pump(m_opt.lbas, true, warm_done, warm_err) || warm_err) {
            std::fprintf(stderr, "bench: warm-up failed (%llu errors)\n",
                         static_cast<unsigned long long>(warm_err));
            sc_core::sc_stop();
            return;
        }
        const auto t0 = std::chrono::steady_clock::now();
        ok = pump(m_opt.commands, false, completed, errors);
        wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        model_rate = static_cast<double>(completed) / wall;
        sc_core::sc_stop();
    }

    platform::system& m_sys;
    bench::floor_module& m_floor;
    options m_opt;
};

} // namespace

int sc_main(int argc, char** argv) {
    options opt;
    CLI::App app("znssim throughput benchmark");
    app.add_option("--commands", opt.commands, "timed commands");
    app.add_option("--qd", opt.queue_depth, "queue depth")->check(CLI::Range(1, 512));
    app.add_option("--read-fraction", opt.read_fraction, "share of reads")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--lbas", opt.lbas, "namespace size in 4 KiB LBAs");
    app.add_option("--floor-iterations", opt.floor_iterations, "floor iterations");
    CLI11_PARSE(app, argc, argv);

    log::settings ls;
    ls.default_level = log::level::warn;
    log::configure(ls);

    const std::string dir =
        (std::filesystem::temp_directory_path() / ("znssim-bench-" + std::to_string(::getpid())))
            .string();
    std::filesystem::create_directories(dir);

    platform::system_config cfg;
    cfg.source = "bench";
    cfg.host_memory_bytes = 64ull << 20;
    cfg.controller.mqes = 1023;
    nvme::namespace_params ns;
    ns.nsid = 1;
    ns.image = dir + "/bench.img";
    ns.lba_size = 4096;
    ns.capacity_lbas = opt.lbas;
    cfg.namespaces.push_back(ns);

    platform::driver_params dp;
    dp.auto_start = false;
    dp.io_queues = 1;
    dp.io_queue_depth = 256;

    int rc = 1;
    {
        platform::system sys("sys", cfg, dp);
        bench::floor_module floor("floor");
        bench_runner runner("runner", sys, floor, opt);
        sc_core::sc_start();
        sys.shutdown();
        if (runner.ok && runner.errors == 0) {
            std::printf("platform: untimed, 1 I/O queue, QD%u, 4 KiB random, %.0f%% reads, "
                        "%llu commands in %.3f s wall\n",
                        opt.queue_depth, opt.read_fraction * 100,
                        static_cast<unsigned long long>(runner.completed), runner.wall);
            std::printf("floor: 64 B command copy + 4 KiB data copy + 16 B completion copy + one "
                        "SC_METHOD wake-up per command\n");
            std::printf("cmds_per_s=%.0f floor_cmds_per_s=%.0f floor_ratio=%.3f\n",
                        runner.model_rate, runner.floor_rate,
                        runner.model_rate / runner.floor_rate);
            rc = 0;
        } else {
            std::fprintf(stderr, "bench: run failed (%llu completed, %llu errors)\n",
                         static_cast<unsigned long long>(runner.completed),
                         static_cast<unsigned long long>(runner.errors));
        }
    }
    std::filesystem::remove_all(dir);
    return rc;
}
