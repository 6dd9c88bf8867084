#pragma once
// A namespace's backing image: a sparse file whose first data_bytes are the raw LBA data (memory
// mapped, so a command's data is copied once between host memory and the image) followed by an
// optional metadata region owned by the namespace (accessed with pread/pwrite).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace znssim {

/// An image problem; what() names the file and, where it applies, the offset.
class image_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Operations on an image that can fail: counted per image (diagnostics, tests) and, in tests,
/// made to fail through an image_fault_plan.
enum class image_op : std::uint8_t {
    allocate,       ///< reserving blocks for data about to be written (reserve)
    data_read,      ///< reading data (checked only when a fault plan is installed)
    data_sync,      ///< msync/fsync of data
    discard,        ///< hole punching
    metadata_read,  ///< pread of the metadata region
    metadata_write, ///< pwrite of the metadata region
    metadata_sync,  ///< fdatasync of metadata
    data_query,     ///< SEEK_DATA (start-up)
};
constexpr unsigned image_op_count = 8;

/// A test's plan to make image operations fail: the fail_at[op]-th operation of a kind (1-based,
/// counted over every image of the process since the plan was installed) fails with
/// error[op] (0: EIO; ENOSPC for allocate), and with 'sticky' every later one too.
struct image_fault_plan {
    std::array<std::uint64_t, image_op_count> fail_at{};
    std::array<int, image_op_count> error{};
    std::array<std::uint64_t, image_op_count> seen{};
    bool sticky = false;
    void fail(image_op op, std::uint64_t nth, int err = 0) {
        fail_at[static_cast<unsigned>(op)] = nth;
        error[static_cast<unsigned>(op)] = err;
    }
};

/// An image operation failed; what() names the file and offset, error() is the errno.
class image_io_error : public image_error {
  public:
    image_io_error(const std::string& what, int err) : image_error(what), m_err(err) {}
    int error() const { return m_err; }

  private:
    int m_err;
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
    /// Deletes the file if open() created it (a caller whose formatting failed): a half-made
    /// image would be refused by the next run. The image is unusable afterwards.
    void remove_if_created();
    /// How many operations of a kind this image did (every call, failed ones included).
    std::uint64_t count(image_op op) const { return m_count[static_cast<unsigned>(op)]; }
    /// Installs (or with nullptr removes) the process-wide fault plan; for tests only.
    static void set_fault_plan(image_fault_plan* plan);
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

    /// Before data is copied into [offset, offset+len): makes sure the filesystem has blocks for
    /// it, so that a full disk is an error here and not a SIGBUS in the copy. Returns 0 or an
    /// errno (ENOSPC, EDQUOT, EIO). Ranges reserved before and not discarded since cost no
    /// system call.
    int reserve(std::uint64_t offset, std::uint64_t len);
    /// Before data is read from [offset, offset+len): 0, or the errno a test's fault plan
    /// injects (a real read error of the mapping is a SIGBUS).
    int check_read(std::uint64_t offset, std::uint64_t len) const;
    /// Makes [offset, offset+len) read as zeros and releases its blocks where whole filesystem
    /// blocks are covered (hole punching): the image stays sparse.
    void discard(std::uint64_t offset, std::uint64_t len);
    /// The first offset at or after 'offset' in the data area that may hold data (SEEK_DATA);
    /// data_bytes() when only holes follow. Filesystems that cannot tell answer 'offset'.
    std::uint64_t next_data(std::uint64_t offset) const;
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
    void set_up(const options& o, bool allow_grow);
    /// Counts an operation and returns the errno a fault plan makes it fail with (0: none).
    int injected(image_op op) const;
    mutable std::array<std::uint64_t, image_op_count> m_count{};
    bool reserved(std::uint64_t first_page, std::uint64_t last_page) const;
    void mark_reserved(std::uint64_t first_page, std::uint64_t last_page, bool on);
    /// Pages known to have blocks (reserved since open), one bit per 4 KiB page in leaves of
    /// 1 GiB allocated on first use: a sparse 64 TiB image costs 512 KiB of pointers.
    std::vector<std::unique_ptr<std::uint64_t[]>> m_reserved;
    bool m_can_reserve = true;
    std::string m_path;
    int m_fd = -1;
    std::uint8_t* m_map = nullptr;
    std::uint64_t m_data_bytes = 0;
    std::uint64_t m_metadata_bytes = 0;
    bool m_created = false;
    durability m_mode = durability::process_crash;
};

} // namespace znssim
