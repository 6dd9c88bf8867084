#pragma once
// Helpers for zoned namespace tests: a temporary image, namespace parameters, and writes that do
// what the NVM handlers do (begin_write, copy into the image, end_write).
#include "model/sim/scheduler.h"
#include "nvme/ns/namespace_params.h"
#include "zns/zoned_namespace.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace zns_test {

using namespace znssim;

struct temp_image {
    std::string path;
    temp_image() {
        static int counter = 0;
        path = (std::filesystem::temp_directory_path() /
                ("znssim-zns-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
                 ".img"))
                   .string();
        std::filesystem::remove(path);
    }
    ~temp_image() { std::filesystem::remove(path); }
    std::uint64_t size() const { return std::filesystem::file_size(path); }
};

inline nvme::namespace_params params(const std::string& path) {
    nvme::namespace_params p;
    p.nsid = 1;
    p.image = path;
    p.lba_size = 512;
    p.zoned = true;
    p.zoned_cfg.zone_size_lbas = 64;
    p.zoned_cfg.zone_capacity_lbas = 48;
    p.zoned_cfg.zone_count = 8;
    p.zoned_cfg.descriptor_extension_bytes = 64;
    return p;
}

/// Writes nlb LBAs filled with 'fill' like a Write (or Append) command; returns the status and
/// the assigned LBA through *at.
inline nvme::spec::status write(zns::zoned_namespace& ns, std::uint64_t slba, std::uint64_t nlb,
                                std::uint8_t fill, bool append = false,
                                std::uint64_t* at = nullptr) {
    nvme::write_grant g;
    const auto kind = append ? nvme::write_kind::append : nvme::write_kind::write;
    const nvme::spec::status s = ns.begin_write(kind, slba, nlb, g);
    if (!s.ok()) return s;
    std::memset(ns.image().data(g.lba << ns.lba_shift()), fill, nlb << ns.lba_shift());
    ns.end_write(kind, g, true);
    if (at) *at = g.lba;
    return s;
}

/// True if every byte of the LBAs is 'fill'.
inline bool holds(zns::zoned_namespace& ns, std::uint64_t slba, std::uint64_t nlb,
                  std::uint8_t fill) {
    const std::uint8_t* p = ns.image().data(slba << ns.lba_shift());
    for (std::uint64_t i = 0; i < (nlb << ns.lba_shift()); ++i)
        if (p[i] != fill) return false;
    return true;
}

inline void corrupt_byte(const std::string& path, std::uint64_t offset) {
    std::FILE* f = std::fopen(path.c_str(), "r+b");
    REQUIRE(f);
    std::fseek(f, static_cast<long>(offset), SEEK_SET);
    int c = std::fgetc(f);
    std::fseek(f, static_cast<long>(offset), SEEK_SET);
    std::fputc(c ^ 0x5a, f);
    std::fclose(f);
}

inline std::vector<std::uint8_t> file_bytes(const std::string& path) {
    std::vector<std::uint8_t> v(std::filesystem::file_size(path));
    std::FILE* f = std::fopen(path.c_str(), "rb");
    REQUIRE(f);
    REQUIRE(std::fread(v.data(), 1, v.size(), f) == v.size());
    std::fclose(f);
    return v;
}

} // namespace zns_test
