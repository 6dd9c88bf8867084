#include "platform/plot/plot.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace znssim::platform {

extern const char plot_script[]; // generated from znssim_plot.py (cmake/embed_text.cmake)

namespace {

std::string interpreter() {
    if (const char* p = std::getenv("ZNSSIM_PYTHON"); p && *p) return p;
    if (access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
    return "python3";
}

} // namespace

plot_result plot_run(const std::string& dir, const std::vector<std::string>& args) {
    const std::string python = interpreter();
    std::vector<std::string> argv = {python, "-c", plot_script, dir};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& a : argv)
        raw.push_back(a.data());
    raw.push_back(nullptr);

    const pid_t child = fork();
    if (child < 0) return {false, std::string("cannot start ") + python + ": " + strerror(errno)};
    if (child == 0) {
        execvp(raw[0], raw.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) return {false, std::string("waiting for ") + python + " failed"};
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, {}};
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return {false, python + " was not found (Debian: apt-get install python3-matplotlib)"};
    // The script names what is wrong itself (a missing file, matplotlib missing: exit 3).
    if (WIFEXITED(status)) return {false, {}};
    return {false, "the plot script was killed by signal " + std::to_string(WTERMSIG(status))};
}

} // namespace znssim::platform
