#pragma once
// The guest's RAM as QEMU's proxy shares it: a table of GPA ranges backed by memfds, replaced on
// every SYNC_SYSMEM. Each file is mapped once as a whole (MAP_SHARED) and cached by its
// (st_dev, st_ino), because QEMU re-sends the same memfd with a fresh fd dozens of times per boot;
// a region's host pointer is base + offset. Time-free and single-threaded.
#include "model/dma/dma_port.h"
#include "platform/qemu/mpqemu_protocol.h"

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace znssim::platform {

class guest_memory : public dma_port {
  public:
    struct region {
        std::uint64_t gpa;
        std::uint64_t size;
        unsigned char* host; ///< pointer to gpa's byte in the shared mapping
        bool operator==(const region& o) const {
            return gpa == o.gpa && size == o.size && host == o.host;
        }
    };

    guest_memory() = default;
    ~guest_memory() override;
    guest_memory(const guest_memory&) = delete;
    guest_memory& operator=(const guest_memory&) = delete;

    /// Replaces the region table with the one a SYNC_SYSMEM describes (entry i uses fds[i]).
    /// Every fd is closed here, kept or not. Regions that cannot be used (bad fd, range beyond the
    /// file, overlap with an earlier region, zero size) are skipped and described in 'problems'.
    /// Mappings the old table used stay mapped until release_unused(), so DMI pointers can be
    /// invalidated in between. Returns true if the table changed.
    bool sync(const mpqemu::sync_sysmem& msg, const int* fds, std::size_t num_fds,
              std::string& problems);
    /// Unmaps files the current table no longer references.
    void release_unused();

    const std::vector<region>& regions() const { return m_regions; }
    std::size_t mapped_files() const { return m_files.size(); }
    /// The region holding gpa, or nullptr.
    const region* find(std::uint64_t gpa) const;
    /// Host pointer for [gpa, gpa+len) if it lies in one region, else nullptr.
    unsigned char* translate(std::uint64_t gpa, std::uint64_t len) const;

    /// Copies to/from guest RAM; ranges may span adjacent regions. Anything outside the regions
    /// QEMU gave is an address error and nothing is copied.
    dma_status read(std::uint64_t gpa, void* dst, std::size_t len) override;
    dma_status write(std::uint64_t gpa, const void* src, std::size_t len) override;

  private:
    struct mapped_file {
        dev_t dev;
        ino_t ino;
        unsigned char* base;
        std::uint64_t length;
        bool used;
    };
    /// True if every byte of [gpa, gpa+len) lies in some region.
    bool covered(std::uint64_t gpa, std::uint64_t len) const;
    /// Calls fn(host, offset_in_request, chunk) for each region piece of a covered range.
    template <class Fn> void for_each_piece(std::uint64_t gpa, std::uint64_t len, Fn fn) const;
    mapped_file* map_file(int fd, std::string& problem);

    std::vector<region> m_regions; ///< sorted by gpa, non-overlapping
    std::vector<mapped_file> m_files;
};

} // namespace znssim::platform
