#pragma once
// Internals of the fio job file reader shared by fio_file.cpp (the INI layout, job assembly) and
// fio_options.cpp (each option's mapping onto a stream).
#include "platform/config/yaml_reader.h"
#include "platform/workload/stream_spec.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace znssim::platform::fio {

struct option {
    std::string key;
    std::string value;
    bool bare = false; ///< a flag without '=' ("time_based")
    int line = 0;
};

using option_map = std::map<std::string, option>;

struct section {
    std::string name;
    int line = 0;
    option_map options;
};

/// Where errors go: config_error "<file>:<line>: <message>".
struct context {
    std::string file;

    [[noreturn]] void fail(int line, const std::string& message) const {
        throw config_error(file + ":" + std::to_string(line) + ": " + message);
    }
    [[noreturn]] void fail(const option& o, const std::string& message) const {
        fail(o.line, o.key + ": " + message);
    }
    /// The value a fio_values.h reader returned, or its error at the option.
    template <class T>
    T check(const option& o, std::optional<T> v, const std::string& error) const {
        if (!v) fail(o, error);
        return *v;
    }
};

bool is_supported(const std::string& key);
std::string supported_options(); ///< "bs, direct, ..." for messages

/// The streams of one job section given its effective options ([global] ones merged in): one,
/// or numjobs copies.
std::vector<stream_spec> job_streams(const context& ctx, const section& job,
                                     const option_map& opts);

} // namespace znssim::platform::fio
