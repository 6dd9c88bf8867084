// Probing whether KVM really works before choosing it: /dev/kvm can exist and open, yet QEMU
// aborts at the first vCPU reset (nested virtualisation without the MSRs `-cpu host` needs). The
// probe starts the same QEMU with the same machine and CPU, stopped (-S), and quits it over QMP:
// QEMU only answers once the vCPU has been created and reset.
#include "platform/qemu/launcher.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace znssim::platform {

bool kvm_available() {
    return ::access("/dev/kvm", R_OK | W_OK) == 0;
}

kvm_probe_result probe_kvm(const std::string& qemu) {
    if (!kvm_available()) return {false, "/dev/kvm cannot be opened read-write"};
    return run_kvm_probe(qemu);
}

kvm_probe_result run_kvm_probe(const std::string& qemu) {
    // QEMU's stdin is a socket, so that writing to a QEMU that already died is an error (EPIPE)
    // rather than a SIGPIPE for us.
    int in[2], out[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
        return {false, "socketpair failed"};
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return {false, "pipe failed"};
    }
    const pid_t child = ::fork();
    if (child < 0) {
        for (int fd : {in[0], in[1], out[0], out[1]})
            ::close(fd);
        return {false, "fork failed"};
    }
    if (child == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        const char* argv[] = {qemu.c_str(),  "-machine",        "pc,accel=kvm", "-cpu", "host",
                              "-nodefaults", "-no-user-config", "-display",     "none", "-S",
                              "-qmp",        "stdio",           nullptr};
        ::execvp(argv[0], const_cast<char**>(argv));
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    static const char quit[] = "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"quit\"}\n";
    const ssize_t ignored = ::send(in[1], quit, sizeof quit - 1, MSG_NOSIGNAL);
    (void)ignored;
    ::close(in[1]);

    // Collect what QEMU says (its error line names the failure) until it exits or 20 s pass.
    std::string said;
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 100) > 0) {
            char buf[512];
            const ssize_t n = ::read(out[0], buf, sizeof buf);
            if (n > 0 && said.size() < 4096) said.append(buf, static_cast<std::size_t>(n));
        }
        const pid_t r = ::waitpid(child, &status, WNOHANG);
        if (r == child) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            ::close(out[0]);
            return {false, "QEMU did not answer within 20 s under KVM"};
        }
    }
    ::close(out[0]);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, ""};
    // The first line QEMU printed that is not QMP's JSON says why.
    std::string why;
    std::size_t at = 0;
    while (at < said.size() && why.empty()) {
        std::size_t nl = said.find('\n', at);
        std::string line = said.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        if (!line.empty() && line[0] != '{') why = line;
        at = nl == std::string::npos ? said.size() : nl + 1;
    }
    if (why.empty())
        why = WIFSIGNALED(status)
                  ? "QEMU was killed by signal " + std::to_string(WTERMSIG(status))
                  : "QEMU exited with status " + std::to_string(WEXITSTATUS(status));
    return {false, why};
}

} // namespace znssim::platform
