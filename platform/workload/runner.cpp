#include "platform/workload/runner.h"

#include "nvme/spec/status_names.h"
#include "platform/config/yaml_reader.h"

#include <fmt/format.h>

namespace znssim::platform {

std::string status_text(const completion& c) {
    if (!c.submitted) return "not submitted";
    if (c.timed_out) return "timed out";
    return fmt::format("{} (status 0x{:03x}{})", nvme::spec::status_name(c.status), c.status.code(),
                       c.status.dnr() ? ", DNR" : "");
}

job_runner::job_runner(host_driver& driver, std::ostream& out, run_settings settings)
    : m_driver(driver), m_out(out), m_settings(std::move(settings)) {}

job_summary job_runner::run(const job& j) {
    m_sum = {};
    const auto wall0 = std::chrono::steady_clock::now();
    const sc_core::sc_time sim0 = sc_core::sc_time_stamp();
    if (m_driver.io_queue_ids().empty()) {
        error_stream() << "error: the driver has no I/O queue\n";
        ++m_sum.errors;
        return m_sum;
    }
    m_qid = m_driver.io_queue_ids().front();
    m_out << "job " << j.name << " (" << j.source << "): " << j.steps.size() << " steps\n";
    m_sum.steps = j.steps.size();
    for (std::size_t i = 0; i < j.steps.size() && !stopping(); ++i) {
        m_sum.stopped_in_step = i + 1;
        run_step(j.steps[i]);
    }
    if (stopping())
        m_sum.stopped_by = m_settings.stop->reason();
    else
        m_sum.stopped_in_step = 0;
    m_sum.simulated_seconds = (sc_core::sc_time_stamp() - sim0).to_seconds();
    m_sum.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return m_sum;
}

void job_runner::run_step(const job_step& s) {
    // Run and prepare steps name their namespaces per stream: they look them up themselves.
    if (s.kind == step_kind::run) return run_streams(s);
    if (s.kind == step_kind::prepare) return prepare(s);
    const namespace_info* ns = lookup(s);
    if (!ns) return;
    const bool verifies = s.kind == step_kind::verify || s.verify_after;
    if (verifies && m_settings.stores_data && !m_settings.stores_data(s.nsid)) {
        step_error(s, "namespace " + std::to_string(s.nsid) +
                          " stores no data (data: none): there is nothing to verify");
        return;
    }
    switch (s.kind) {
    case step_kind::write:
    case step_kind::read:
    case step_kind::verify:
        sequential(s, *ns);
        break;
    case step_kind::random:
        random(s, *ns);
        break;
    case step_kind::open:
    case step_kind::close:
    case step_kind::finish:
    case step_kind::reset:
        zone_action(s, *ns);
        break;
    case step_kind::append:
        append(s, *ns);
        break;
    case step_kind::report:
        report(s, *ns);
        break;
    case step_kind::run:
    case step_kind::prepare:
        break; // handled above
    case step_kind::flush: {
        completion c = m_driver.flush(s.nsid, m_qid);
        count(c, s, "flush");
        m_out << "flush nsid " << s.nsid << ": " << (c.ok() ? "ok" : status_text(c)) << "\n";
        break;
    }
    }
}

std::ostream& job_runner::error_stream() {
    return platform::error_stream(m_out, m_settings.errors);
}

void job_runner::step_error(const job_step& s, const std::string& message) {
    ++m_sum.errors;
    error_stream() << "error: " << s.where << ": " << step_name(s.kind) << ": " << message << "\n";
}

const namespace_info* job_runner::lookup(const job_step& s) {
    const namespace_info* ns = m_driver.find_namespace(s.nsid);
    if (!ns) step_error(s, "namespace " + std::to_string(s.nsid) + " was not found by the driver");
    bool zone_step = s.kind == step_kind::open || s.kind == step_kind::close ||
                     s.kind == step_kind::finish || s.kind == step_kind::reset ||
                     s.kind == step_kind::append || s.kind == step_kind::report || s.by_zone;
    if (ns && zone_step && !ns->zoned) {
        step_error(s, "namespace " + std::to_string(s.nsid) + " is not zoned");
        return nullptr;
    }
    return ns;
}

bool job_runner::zones_of(const job_step& s, const namespace_info& ns,
                          std::vector<zone_descriptor>& out) {
    out.clear();
    completion c = m_driver.report_zones(ns.nsid, out, m_qid);
    ++m_sum.commands;
    if (!c.ok()) {
        step_error(s, "zone report failed: " + status_text(c));
        return false;
    }
    return true;
}

std::vector<std::uint32_t> job_runner::select(const job_step& s,
                                              const std::vector<zone_descriptor>& zones,
                                              std::uint32_t count) {
    using kind = zone_selector::kind;
    std::vector<std::uint32_t> out;
    if (s.zone.what == kind::index) {
        for (std::uint64_t i = s.zone.index; i < zones.size() && out.size() < count; ++i)
            out.push_back(static_cast<std::uint32_t>(i));
        if (out.size() < count)
            step_error(s, fmt::format("zones {}..{} do not exist (the namespace has {} zones)",
                                      s.zone.index, std::uint64_t(s.zone.index) + count - 1,
                                      zones.size()));
        return out.size() < count ? std::vector<std::uint32_t>{} : out;
    }
    for (std::uint32_t i = 0; i < zones.size() && out.size() < count; ++i) {
        const auto st = zones[i].state;
        bool match = (s.zone.what == kind::first_empty && st == 0x1) ||
                     (s.zone.what == kind::first_open && (st == 0x2 || st == 0x3)) ||
                     (s.zone.what == kind::first_closed && st == 0x4) ||
                     (s.zone.what == kind::first_full && st == 0xe);
        if (match) out.push_back(i);
    }
    if (out.size() < count) {
        static const char* const names[] = {"", "empty", "open", "closed", "full"};
        step_error(s, fmt::format("found {} {} zone(s), needed {}", out.size(),
                                  names[static_cast<int>(s.zone.what)], count));
        out.clear();
    }
    return out;
}

void job_runner::count(const completion& c, const job_step& s, const std::string& what) {
    ++m_sum.commands;
    if (!c.ok()) step_error(s, what + " failed: " + status_text(c));
}

void job_runner::print_summary(const job& j, const job_summary& s) const {
    m_out << "summary of job " << j.name << ":\n"
          << fmt::format("  commands        {}\n", s.commands)
          << fmt::format("  written         {} ({} bytes)\n", format_size(s.bytes_written),
                         s.bytes_written)
          << fmt::format("  read            {} ({} bytes)\n", format_size(s.bytes_read),
                         s.bytes_read)
          << fmt::format("  errors          {}\n", s.errors)
          << fmt::format("  verify          {} LBAs checked, {} mismatches: {}\n", s.verified_lbas,
                         s.verify_mismatches,
                         s.verify_mismatches ? "FAIL" : (s.verified_lbas ? "PASS" : "none"))
          << fmt::format("  simulated time  {:.9f} s\n", s.simulated_seconds)
          << fmt::format("  wall time       {:.3f} s\n", s.wall_seconds);
    if (s.stopped_by)
        m_out << fmt::format("  interrupted     by {} in step {} of {}\n",
                             stop_reason_text(s.stopped_by), s.stopped_in_step, s.steps);
    m_out << "  result          " << (s.ok() ? "OK" : "FAILED")
          << (s.stopped_by ? " (INTERRUPTED)" : "") << "\n";
}

// ---- job_process --------------------------------------------------------------------------

job_process::job_process(const sc_core::sc_module_name& name, host_driver& driver, const job* j,
                         std::ostream& out, run_settings settings)
    : sc_module(name), m_driver(driver), m_job(j), m_out(out), m_settings(std::move(settings)) {
    SC_THREAD(thread);
    set_stack_size(1 << 20); // job steps keep statistics and zone reports on their stack
}

void job_process::thread() {
    if (!m_driver.wait_ready()) {
        m_driver_failed = true;
        error_stream(m_out, m_settings.errors)
            << "error: controller bring-up failed: " << m_driver.failure() << "\n";
        sc_core::sc_stop();
        return;
    }
    for (const auto& ns : m_driver.namespaces())
        m_out << fmt::format("namespace {}: {} LBAs of {} B{}\n", ns.nsid, ns.nsze, ns.lba_bytes,
                             ns.zoned ? fmt::format(", zoned: {} zones of {} LBAs, capacity {}",
                                                    ns.zone_count, ns.zone_size, ns.zone_capacity)
                                      : "");
    if (m_job) {
        job_runner runner(m_driver, m_out, m_settings);
        m_result = runner.run(*m_job);
        runner.print_summary(*m_job, m_result);
        m_streams = runner.stream_results();
    }
    if (!m_driver.shutdown()) {
        error_stream(m_out, m_settings.errors)
            << "error: controller shutdown failed: " << m_driver.failure() << "\n";
        ++m_result.errors;
    }
    m_finished = true;
    sc_core::sc_stop();
}

} // namespace znssim::platform
