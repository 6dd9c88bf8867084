#pragma once
// A namespace's backing image: a sparse file whose first data_bytes are the raw LBA data (memory
// mapped, so a command's data is copied once between host memory and the image) followed by an
// optional metadata region owned by the namespace (accessed with pread/pwrite).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace znssim {

/// An image problem; what() names the file and, where it applies, the offset.
class image_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class durability : std::uint8_t {
    process_crash, ///< everything written reaches the page cache before completion (default)
    host_crash,    ///< data and metadata are synced to stable storage before completion
};

class backing_image {
  public:
    struct options {
        std::string path;
        std::uint64_t data_bytes = 0;     ///< size of the data area
        std::uint64_t metadata_bytes = 0; ///< size of the region after it (0 = none)
        bool create = true;               ///< create a sparse file when missing
        durability mode = durability::process_crash;
        /// false: the data area is not kept (writes are dropped, reads return zeros; data()
        /// returns nullptr); the file still holds the metadata region at its place.
        bool store_data = true;
    };

    /// Opens or creates the image. An existing image smaller than the data area plus metadata is
    /// refused (image_error naming the path and both sizes), never silently grown or truncated,
    /// unless allow_grow is set by a caller that is formatting it.
    static std::unique_ptr<backing_image> open(const options& o, bool allow_grow = false);
    ~backing_image();

    backing_image(const backing_image&) = delete;
    backing_image& operator=(const backing_image&) = delete;

    const std::string& path() const { return m_path; }
    std::uint64_t data_bytes() const { return m_data_bytes; }
    std::uint64_t metadata_bytes() const { return m_metadata_bytes; }
    bool created() const { return m_created; } ///< true if open() created the file
    durability mode() const { return m_mode; }

    /// Direct pointer into the mapped data area; [offset, offset+len) must lie inside it.
    /// nullptr for an image that stores no data.
    std::uint8_t* data(std::uint64_t offset) { return m_map ? m_map + offset : nullptr; }
    const std::uint8_t* data(std::uint64_t offset) const {
        return m_map ? m_map + offset : nullptr;
    }
    bool stores_data() const { return m_map != nullptr || m_data_bytes == 0; }
    bool in_data(std::uint64_t offset, std::uint64_t len) const {
        return len <= m_data_bytes && offset <= m_data_bytes - len;
    }

    /// Makes [offset, offset+len) read as zeros and releases its blocks where whole filesystem
    /// blocks are covered (hole punching): the image stays sparse.
    void discard(std::uint64_t offset, std::uint64_t len);
    /// In host_crash mode, writes [offset, offset+len) of the data area to stable storage.
    void sync_data(std::uint64_t offset, std::uint64_t len);
    /// Everything (data and metadata) to stable storage, whatever the mode.
    void sync_all();

    /// Metadata region access; offsets are relative to its start. Throws image_error on failure.
    void read_metadata(std::uint64_t offset, void* dst, std::size_t len) const;
    void write_metadata(std::uint64_t offset, const void* src, std::size_t len);
    /// In host_crash mode, fdatasync()s so metadata written so far is stable.
    void sync_metadata();

  private:
    backing_image() = default;
    std::string m_path;
    int m_fd = -1;
    std::uint8_t* m_map = nullptr;
    std::uint64_t m_data_bytes = 0;
    std::uint64_t m_metadata_bytes = 0;
    bool m_created = false;
    durability m_mode = durability::process_crash;
};

} // namespace znssim
