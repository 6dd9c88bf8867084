// A read error (or a write into a hole that could not be reserved) of a mapped image reaches the
// process as SIGBUS, which would kill it without a word. The images register their mappings
// here; a SIGBUS inside one prints a clear error naming the image and the offset and ends the
// run with the exit status of other image errors (2). Data already in the page cache stays
// there: nothing stored is damaged by stopping. Faults elsewhere keep their default action.
#include "model/storage/sigbus_report.h"

#include <csignal>
#include <cstring>
#include <mutex>
#include <unistd.h>

namespace znssim::detail {
namespace {

struct mapping {
    const std::uint8_t* begin = nullptr;
    std::uint64_t bytes = 0;
    char path[480] = {};
};

constexpr int max_mappings = 1024; // namespaces are at most 1024
mapping g_maps[max_mappings];
std::mutex g_lock; // registration only: the handler reads without locking
bool g_installed = false;

void put(const char* s) {
    const std::size_t n = std::strlen(s);
    if (::write(STDERR_FILENO, s, n) < 0) return;
}

void put_number(std::uint64_t v) {
    char buf[24];
    int i = sizeof buf;
    buf[--i] = 0;
    do {
        buf[--i] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    put(buf + i);
}

void on_sigbus(int sig, siginfo_t* info, void*) {
    const auto* at = static_cast<const std::uint8_t*>(info->si_addr);
    for (const mapping& m : g_maps) {
        if (m.begin == nullptr || at < m.begin || at >= m.begin + m.bytes) continue;
        put("znssim: error: backing image '");
        put(m.path);
        put("': I/O error at data offset ");
        put_number(static_cast<std::uint64_t>(at - m.begin));
        put(" (the disk holding the image failed or is full); the run cannot go on\n");
        ::_exit(2);
    }
    std::signal(sig, SIG_DFL); // not ours: the default action, as if we had not looked
    ::raise(sig);
}

} // namespace

void register_mapping(const void* begin, std::uint64_t bytes, const std::string& path) {
    std::lock_guard<std::mutex> hold(g_lock);
    if (!g_installed) {
        struct sigaction sa {};
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGBUS, &sa, nullptr);
        g_installed = true;
    }
    for (mapping& m : g_maps) {
        if (m.begin != nullptr) continue;
        std::strncpy(m.path, path.c_str(), sizeof m.path - 1);
        m.bytes = bytes;
        m.begin = static_cast<const std::uint8_t*>(begin);
        return;
    }
}

void unregister_mapping(const void* begin) {
    std::lock_guard<std::mutex> hold(g_lock);
    for (mapping& m : g_maps)
        if (m.begin == begin) m = mapping{};
}

} // namespace znssim::detail
