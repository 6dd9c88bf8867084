#include "model/storage/backing_image.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace znssim {

namespace {

constexpr std::uint64_t page = 4096;

[[noreturn]] void fail(const std::string& path, const std::string& what, int err = 0) {
    std::string msg = "backing image '" + path + "': " + what;
    if (err != 0) msg += ": " + std::string(std::strerror(err));
    throw image_error(msg);
}

std::string offset_text(std::uint64_t offset, std::size_t len) {
    return "offset " + std::to_string(offset) + " length " + std::to_string(len);
}

} // namespace

std::unique_ptr<backing_image> backing_image::open(const options& o, bool allow_grow) {
    if (o.path.empty()) throw image_error("backing image: no path given");
    if (o.metadata_bytes > ~std::uint64_t{0} - o.data_bytes)
        fail(o.path, "data and metadata sizes overflow");

    std::unique_ptr<backing_image> img(new backing_image());
    img->m_path = o.path;
    img->m_data_bytes = o.data_bytes;
    img->m_metadata_bytes = o.metadata_bytes;
    img->m_mode = o.mode;

    // Open an existing file first so that 'created' is exact even when the path races.
    img->m_fd = ::open(o.path.c_str(), O_RDWR | O_CLOEXEC);
    if (img->m_fd < 0 && errno == ENOENT && o.create) {
        img->m_fd = ::open(o.path.c_str(), O_RDWR | O_CLOEXEC | O_CREAT | O_EXCL, 0644);
        img->m_created = img->m_fd >= 0;
    }
    if (img->m_fd < 0) fail(o.path, o.create ? "cannot open or create" : "cannot open", errno);

    // Two simulators (or two namespaces) writing one image would corrupt it silently.
    if (::flock(img->m_fd, LOCK_EX | LOCK_NB) != 0)
        fail(o.path, "image is in use (locked by another user)", errno);

    struct stat st {};
    if (::fstat(img->m_fd, &st) != 0) fail(o.path, "cannot stat", errno);
    if (!S_ISREG(st.st_mode)) fail(o.path, "not a regular file");

    const std::uint64_t need = o.data_bytes + o.metadata_bytes;
    const auto have = static_cast<std::uint64_t>(st.st_size);
    if (have < need) {
        if (!img->m_created && !allow_grow)
            fail(o.path, "image is " + std::to_string(have) + " bytes but the namespace needs " +
                             std::to_string(need) + " bytes (" + std::to_string(o.data_bytes) +
                             " data + " + std::to_string(o.metadata_bytes) +
                             " metadata); refusing to grow it");
        // ftruncate keeps the file sparse: the new area reads as zeros without using blocks.
        if (::ftruncate(img->m_fd, static_cast<off_t>(need)) != 0)
            fail(o.path, "cannot set size to " + std::to_string(need) + " bytes", errno);
    }

    if (o.data_bytes != 0 && o.store_data) {
        void* p = ::mmap(nullptr, o.data_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
                         img->m_fd, 0);
        if (p == MAP_FAILED)
            fail(o.path, "cannot map " + std::to_string(o.data_bytes) + " data bytes", errno);
        img->m_map = static_cast<std::uint8_t*>(p);
    }
    return img;
}

backing_image::~backing_image() {
    if (m_map != nullptr) ::munmap(m_map, m_data_bytes);
    if (m_fd >= 0) ::close(m_fd);
}

void backing_image::discard(std::uint64_t offset, std::uint64_t len) {
    if (len == 0) return;
    if (!in_data(offset, len))
        fail(m_path, "discard outside the data area: " + offset_text(offset, len));
    if (m_map == nullptr) return; // no data kept: it reads as zeros already
    const std::uint64_t end = offset + len;
    const std::uint64_t inner_begin = (offset + page - 1) / page * page;
    const std::uint64_t inner_end = end / page * page;
    if (inner_begin >= inner_end) {
        std::memset(m_map + offset, 0, len);
    } else {
        std::memset(m_map + offset, 0, inner_begin - offset);
        std::memset(m_map + inner_end, 0, end - inner_end);
        // Punching drops the pages from the page cache and the mapping, so they read as zeros.
        const int r = ::fallocate(m_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                  static_cast<off_t>(inner_begin),
                                  static_cast<off_t>(inner_end - inner_begin));
        if (r != 0) {
            if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EINVAL)
                fail(m_path,
                     "cannot punch hole at " + offset_text(inner_begin, inner_end - inner_begin),
                     errno);
            std::memset(m_map + inner_begin, 0, inner_end - inner_begin);
        }
    }
    if (m_mode == durability::host_crash) {
        sync_data(offset, len);
        if (::fdatasync(m_fd) != 0) fail(m_path, "fdatasync after discard failed", errno);
    }
}

void backing_image::sync_data(std::uint64_t offset, std::uint64_t len) {
    if (m_mode != durability::host_crash || len == 0 || m_map == nullptr) return;
    if (!in_data(offset, len))
        fail(m_path, "sync outside the data area: " + offset_text(offset, len));
    const std::uint64_t begin = offset / page * page;
    if (::msync(m_map + begin, offset + len - begin, MS_SYNC) != 0)
        fail(m_path, "msync of " + offset_text(offset, len) + " failed", errno);
}

void backing_image::sync_all() {
    if (m_map != nullptr && ::msync(m_map, m_data_bytes, MS_SYNC) != 0)
        fail(m_path, "msync failed", errno);
    if (::fsync(m_fd) != 0) fail(m_path, "fsync failed", errno);
}

void backing_image::read_metadata(std::uint64_t offset, void* dst, std::size_t len) const {
    if (len > m_metadata_bytes || offset > m_metadata_bytes - len)
        fail(m_path, "metadata read outside the metadata region (" +
                         std::to_string(m_metadata_bytes) + " bytes): " + offset_text(offset, len));
    auto* out = static_cast<std::uint8_t*>(dst);
    std::uint64_t pos = m_data_bytes + offset;
    while (len > 0) {
        const ssize_t n = ::pread(m_fd, out, len, static_cast<off_t>(pos));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            fail(m_path, "metadata read at file offset " + std::to_string(pos) + " failed", errno);
        if (n == 0)
            fail(m_path,
                 "metadata read at file offset " + std::to_string(pos) + " hit end of file");
        out += n;
        pos += static_cast<std::uint64_t>(n);
        len -= static_cast<std::size_t>(n);
    }
}

void backing_image::write_metadata(std::uint64_t offset, const void* src, std::size_t len) {
    if (len > m_metadata_bytes || offset > m_metadata_bytes - len)
        fail(m_path, "metadata write outside the metadata region (" +
                         std::to_string(m_metadata_bytes) + " bytes): " + offset_text(offset, len));
    const auto* in = static_cast<const std::uint8_t*>(src);
    std::uint64_t pos = m_data_bytes + offset;
    while (len > 0) {
        const ssize_t n = ::pwrite(m_fd, in, len, static_cast<off_t>(pos));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            fail(m_path, "metadata write at file offset " + std::to_string(pos) + " failed",
                 n < 0 ? errno : EIO);
        in += n;
        pos += static_cast<std::uint64_t>(n);
        len -= static_cast<std::size_t>(n);
    }
}

void backing_image::sync_metadata() {
    if (m_mode == durability::host_crash && ::fdatasync(m_fd) != 0)
        fail(m_path, "fdatasync of metadata failed", errno);
}

} // namespace znssim
