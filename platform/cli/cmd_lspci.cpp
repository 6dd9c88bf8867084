// `znssim lspci [--config FILE] [--slot S] [--dump] [-n]`: the configured function's config
// space (after any identity_from_host copy), computed from the parameters alone (no
// simulation). --dump prints it as `lspci -xxxx` does; otherwise the system's lspci (pciutils)
// decodes that dump (`lspci -F FILE -vvv`), exactly as it would a real device.
#include "model/identity/host_identity.h"
#include "model/identity/lspci.h"
#include "model/pcie/config_space.h"
#include "platform/cli/commands.h"
#include "platform/cli/default_config.h"
#include "platform/config/load_config.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace znssim::cli {

namespace {

/// The slot as lspci prints it (domain only when not 0); a usage error for anything that is not
/// [DDDD:]BB:DD.F in hex.
std::string checked_slot(const std::string& text) {
    identity::pci_address a;
    try {
        a = identity::parse_pci_address(text);
    } catch (const std::exception&) {
        std::string shown;
        for (const char ch : text) // keep the error on one line whatever was typed
            shown += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
        throw std::runtime_error("--slot: '" + shown +
                                 "' is not a PCI address: expected [DDDD:]BB:DD.F in hex (bus <= "
                                 "ff, device <= 1f, function <= 7), e.g. 01:00.0");
    }
    const std::string full = identity::to_string(a);
    return a.domain == 0 ? full.substr(5) : full;
}

/// $ZNSSIM_LSPCI if set, else the first executable `lspci` on $PATH, else /usr/sbin or /sbin
/// (where older Debian releases put it); empty if none.
std::string find_lspci() {
    if (const char* env = std::getenv("ZNSSIM_LSPCI"); env && *env)
        return ::access(env, X_OK) == 0 ? std::string(env) : std::string();
    std::vector<std::string> dirs;
    if (const char* path = std::getenv("PATH")) {
        std::string p = path;
        for (std::size_t start = 0; start <= p.size();) {
            const std::size_t end = std::min(p.find(':', start), p.size());
            dirs.push_back(end > start ? p.substr(start, end - start) : std::string("."));
            start = end + 1;
        }
    }
    dirs.insert(dirs.end(), {"/usr/sbin", "/sbin"});
    for (const std::string& d : dirs) {
        const std::string f = d + "/lspci";
        if (::access(f.c_str(), X_OK) == 0) return f;
    }
    return {};
}

/// Writes the dump to a temporary file, runs `lspci -F FILE -vvv [-nn]` with our stdout and
/// stderr, removes the file; returns lspci's exit status.
int run_lspci(const std::string& lspci, const std::string& dump, bool numeric) {
    std::string path = (std::filesystem::temp_directory_path() / "znssim-lspci-XXXXXX").string();
    const int fd = ::mkstemp(path.data());
    if (fd < 0)
        throw std::runtime_error("cannot create a temporary file for lspci: " +
                                 std::string(std::strerror(errno)));
    struct remove_file {
        std::string p;
        ~remove_file() { std::remove(p.c_str()); }
    } guard{path};
    for (std::size_t done = 0; done < dump.size();) {
        const ssize_t n = ::write(fd, dump.data() + done, dump.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
        }
        done += std::size_t(n);
    }
    ::close(fd);

    std::vector<std::string> args{lspci, "-F", path, "-vvv"};
    if (numeric) args.emplace_back("-nn");
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::cout.flush();
    pid_t pid = 0;
    if (const int err = ::posix_spawn(&pid, lspci.c_str(), nullptr, nullptr, argv.data(), environ);
        err != 0)
        throw std::runtime_error("cannot run " + lspci + ": " + std::strerror(err));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("waiting for " + lspci + " failed");
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

} // namespace

void register_lspci_command(CLI::App& app) {
    struct options {
        std::string config; ///< empty: default_config_path()
        std::string slot = "00:00.0";
        bool dump = false;
        bool numeric = false;
    };
    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand(
        "lspci", "Decode the configured PCIe function's config space with the system's lspci "
                 "(pciutils), or print it as a hex dump lspci -F reads");
    cmd->add_option("-c,--config", opts->config,
                    "Configuration file (YAML); default: configs/default.yaml of the installation "
                    "or source tree this binary belongs to")
        ->capture_default_str();
    cmd->add_option("--slot", opts->slot, "PCI address [DDDD:]BB:DD.F the function is shown at")
        ->capture_default_str();
    cmd->add_flag("--dump", opts->dump,
                  "Print the 4096-byte config space as lspci -xxxx does (lspci -F FILE reads it)");
    cmd->add_flag("-n,--numeric", opts->numeric, "Show numeric IDs as well as names (lspci -nn)");
    cmd->callback([opts] {
        const std::string slot = checked_slot(opts->slot);
        // Found before the config is read, so a missing pciutils is reported whatever the config.
        const std::string lspci = opts->dump ? std::string() : find_lspci();
        if (!opts->dump && lspci.empty())
            throw std::runtime_error(
                std::getenv("ZNSSIM_LSPCI") && *std::getenv("ZNSSIM_LSPCI")
                    ? std::string("ZNSSIM_LSPCI='") + std::getenv("ZNSSIM_LSPCI") +
                          "' is not an executable lspci"
                    : std::string("lspci not found: install the Debian package pciutils "
                                  "(apt-get install pciutils), or use znssim lspci --dump"));
        platform::system_config cfg =
            platform::load_config(opts->config.empty() ? default_config_path() : opts->config);
        if (!cfg.identity_from_host.empty())
            identity::apply_host_identity(identity::read_host_identity(cfg.identity_from_host),
                                          cfg.pcie);
        const std::string dump = identity::lspci_hex_dump(pcie::config_space(cfg.pcie), slot);
        if (opts->dump) {
            std::cout << dump;
            std::cout.flush();
            return;
        }
        if (const int rc = run_lspci(lspci, dump, opts->numeric); rc != 0)
            throw std::runtime_error(lspci + " -F exited with status " + std::to_string(rc));
    });
}

} // namespace znssim::cli
