// Run and prepare steps: concurrent measured streams (stream_runner) inside a job.
#include "platform/workload/progress.h"
#include "platform/workload/runner.h"

#include <fmt/format.h>

#include <unistd.h>

namespace znssim::platform {

void job_runner::run_streams(const job_step& s) {
    for (const stream_spec& sp : s.streams)
        if (sp.verify && m_settings.stores_data && !m_settings.stores_data(sp.nsid)) {
            step_error(s, "stream " + sp.name + " verifies namespace " + std::to_string(sp.nsid) +
                              ", which stores no data (data: none)");
            return;
        }
    progress_meter meter(m_settings.progress && ::isatty(STDERR_FILENO));
    stream_runner::options o;
    o.stores_data = m_settings.stores_data;
    o.progress = &meter;
    o.errors = m_settings.errors;
    o.stop = m_settings.stop;
    stream_runner runner(m_driver, m_out, o);
    std::vector<stream_stats> results = runner.run(s.streams);
    meter.finish();
    m_sum.errors += runner.errors().size();
    for (const stream_stats& r : results) {
        m_sum.commands += r.read.ios + r.write.ios + r.trim.ios;
        for (const op_stats& z : r.zone_mgmt)
            m_sum.commands += z.ios;
        m_sum.bytes_read += r.read.bytes;
        m_sum.bytes_written += r.write.bytes;
        m_sum.errors += r.read.errors + r.write.errors + r.trim.errors;
        for (const op_stats& z : r.zone_mgmt)
            m_sum.errors += z.errors;
        m_sum.verified_lbas += r.verified_lbas;
        m_sum.verify_mismatches += r.verify_mismatches;
    }
    print_text_summary(m_out, results);
    m_streams.insert(m_streams.end(), results.begin(), results.end());
}

void job_runner::prepare(const job_step& s) {
    stream_runner::options o;
    o.errors = m_settings.errors;
    o.stop = m_settings.stop;
    stream_runner runner(m_driver, m_out, o);
    if (!runner.prepare(s.prepare)) ++m_sum.errors;
}

} // namespace znssim::platform
