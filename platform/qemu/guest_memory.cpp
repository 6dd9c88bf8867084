#include "platform/qemu/guest_memory.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace znssim::platform {

guest_memory::~guest_memory() {
    for (auto& f : m_files)
        ::munmap(f.base, f.length);
}

guest_memory::mapped_file* guest_memory::map_file(int fd, std::string& problem) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        problem = std::string("fstat failed: ") + std::strerror(errno);
        return nullptr;
    }
    for (auto& f : m_files)
        if (f.dev == st.st_dev && f.ino == st.st_ino) {
            // A memfd can only grow; remap if this one did, so base + offset stays in bounds.
            if (static_cast<std::uint64_t>(st.st_size) <= f.length) return &f;
        }
    if (st.st_size <= 0) {
        problem = "fd is not a sized file (st_size " + std::to_string(st.st_size) + ")";
        return nullptr;
    }
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ | PROT_WRITE,
                     MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        problem = std::string("mmap failed: ") + std::strerror(errno);
        return nullptr;
    }
    m_files.push_back({st.st_dev, st.st_ino, static_cast<unsigned char*>(p),
                       static_cast<std::uint64_t>(st.st_size), false});
    return &m_files.back();
}

bool guest_memory::sync(const mpqemu::sync_sysmem& msg, const int* fds, std::size_t num_fds,
                        std::string& problems) {
    problems.clear();
    // Old regions keep their files mapped until release_unused(): DMI pointers may still exist.
    std::vector<region> next;
    for (std::size_t i = 0; i < num_fds; ++i) {
        std::string prefix = "region " + std::to_string(i) + ": ";
        if (i >= mpqemu::max_fds) {
            problems += prefix + "more than 8 regions; ignored\n";
            continue;
        }
        std::uint64_t gpa = msg.gpas[i], size = msg.sizes[i];
        std::int64_t offset = msg.offsets[i];
        if (size == 0 || gpa + size < gpa) {
            problems += prefix + "empty or wrapping range; ignored\n";
            continue;
        }
        std::string why;
        mapped_file* f = map_file(fds[i], why);
        if (f == nullptr) {
            problems += prefix + why + "\n";
            continue;
        }
        if (offset < 0 || static_cast<std::uint64_t>(offset) > f->length ||
            size > f->length - static_cast<std::uint64_t>(offset)) {
            problems += prefix + "offset " + std::to_string(offset) + " + size " +
                        std::to_string(size) + " beyond the file (" + std::to_string(f->length) +
                        " bytes); ignored\n";
            continue;
        }
        bool overlaps = std::any_of(next.begin(), next.end(), [&](const region& r) {
            return gpa < r.gpa + r.size && r.gpa < gpa + size;
        });
        if (overlaps) {
            problems += prefix + "overlaps an earlier region; ignored\n";
            continue;
        }
        next.push_back({gpa, size, f->base + offset});
    }
    for (std::size_t i = 0; i < num_fds; ++i)
        if (fds[i] >= 0) ::close(fds[i]);
    std::sort(next.begin(), next.end(),
              [](const region& a, const region& b) { return a.gpa < b.gpa; });
    bool changed = next != m_regions;
    m_regions = std::move(next);
    return changed;
}

void guest_memory::release_unused() {
    for (auto& f : m_files)
        f.used = std::any_of(m_regions.begin(), m_regions.end(), [&](const region& r) {
            return r.host >= f.base && r.host < f.base + f.length;
        });
    auto keep =
        std::partition(m_files.begin(), m_files.end(), [](const mapped_file& f) { return f.used; });
    for (auto it = keep; it != m_files.end(); ++it)
        ::munmap(it->base, it->length);
    m_files.erase(keep, m_files.end());
}

const guest_memory::region* guest_memory::find(std::uint64_t gpa) const {
    for (const auto& r : m_regions)
        if (gpa >= r.gpa && gpa - r.gpa < r.size) return &r;
    return nullptr;
}

unsigned char* guest_memory::translate(std::uint64_t gpa, std::uint64_t len) const {
    const region* r = find(gpa);
    if (r == nullptr || len > r->size - (gpa - r->gpa)) return nullptr;
    return r->host + (gpa - r->gpa);
}

template <class Fn>
void guest_memory::for_each_piece(std::uint64_t gpa, std::uint64_t len, Fn fn) const {
    std::uint64_t done = 0;
    while (done < len) {
        const region* r = find(gpa + done);
        std::uint64_t in_region = r->size - (gpa + done - r->gpa);
        std::uint64_t chunk = std::min(in_region, len - done);
        fn(r->host + (gpa + done - r->gpa), done, chunk);
        done += chunk;
    }
}

bool guest_memory::covered(std::uint64_t gpa, std::uint64_t len) const {
    if (gpa + len < gpa) return false;
    std::uint64_t done = 0;
    while (done < len) {
        const region* r = find(gpa + done);
        if (r == nullptr) return false;
        done += std::min(r->size - (gpa + done - r->gpa), len - done);
    }
    return true;
}

dma_status guest_memory::read(std::uint64_t gpa, void* dst, std::size_t len) {
    if (!covered(gpa, len)) return dma_status::address_error;
    auto* out = static_cast<unsigned char*>(dst);
    for_each_piece(gpa, len, [&](unsigned char* host, std::uint64_t at, std::uint64_t n) {
        std::memcpy(out + at, host, n);
    });
    return dma_status::ok;
}

dma_status guest_memory::write(std::uint64_t gpa, const void* src, std::size_t len) {
    if (!covered(gpa, len)) return dma_status::address_error;
    auto* in = static_cast<const unsigned char*>(src);
    for_each_piece(gpa, len, [&](unsigned char* host, std::uint64_t at, std::uint64_t n) {
        std::memcpy(host, in + at, n);
    });
    return dma_status::ok;
}

} // namespace znssim::platform
