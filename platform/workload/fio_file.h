#pragma once
// Plain fio job files (INI: [global] and [job] sections of key=value lines) read into a job of
// one `run` step, one stream per fio job, so an existing fio workload runs against the model
// (`znssim run --fio FILE.fio`). Only a documented subset of fio's options is understood (README
// "fio job files"); any other option is an error naming it and its line, never ignored.
#include "platform/workload/job.h"

#include <string>

namespace znssim::platform {

/// Reads and parses a fio job file (config_error naming the file when it cannot be read).
job load_fio_job(const std::string& path);
/// Parses fio job text; name is used in messages ("<name>:<line>: ...") and as the job's name.
job parse_fio_job(const std::string& text, const std::string& name);

} // namespace znssim::platform
