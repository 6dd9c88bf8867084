#include "model/storage/backing_image.h"

#include "model/storage/sigbus_report.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace znssim {

namespace {

constexpr std::uint64_t page = 4096;

image_fault_plan* g_fault_plan = nullptr;

[[noreturn]] void fail(const std::string& path, const std::string& what, int err = 0) {
    std::string msg = "backing image '" + path + "': " + what;
    if (err == 0) throw image_error(msg);
    throw image_io_error(msg + ": " + std::string(std::strerror(err)), err);
}

constexpr std::uint64_t pages_per_leaf = 1ull << 18; // 1 GiB of 4 KiB pages per bitmap leaf

std::string offset_text(std::uint64_t offset, std::size_t len) {
    return "offset " + std::to_string(offset) + " length " + std::to_string(len);
}

} // namespace

void backing_image::set_fault_plan(image_fault_plan* plan) {
    g_fault_plan = plan;
}

int backing_image::injected(image_op op) const {
    const unsigned i = static_cast<unsigned>(op);
    ++m_count[i];
    image_fault_plan* p = g_fault_plan;
    if (p == nullptr || p->fail_at[i] == 0) return 0;
    const std::uint64_t n = ++p->seen[i];
    if (n != p->fail_at[i] && !(p->sticky && n > p->fail_at[i])) return 0;
    if (p->error[i] != 0) return p->error[i];
    return op == image_op::allocate ? ENOSPC : EIO;
}

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
    try {
        img->set_up(o, allow_grow);
    } catch (...) {
        img->remove_if_created(); // a failed creation leaves nothing the next run would refuse
        throw;
    }
    return img;
}

void backing_image::remove_if_created() {
    if (!m_created) return;
    if (m_map != nullptr) detail::unregister_mapping(m_map);
    if (m_map != nullptr) ::munmap(m_map, m_data_bytes);
    m_map = nullptr;
    ::unlink(m_path.c_str());
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    m_created = false;
}

void backing_image::set_up(const options& o, bool allow_grow) {
    backing_image* img = this;
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
        detail::register_mapping(p, o.data_bytes, o.path);
        img->m_reserved.resize((o.data_bytes / page + pages_per_leaf - 1) / pages_per_leaf);
    }
}

backing_image::~backing_image() {
    if (m_map != nullptr) detail::unregister_mapping(m_map);
    if (m_map != nullptr) ::munmap(m_map, m_data_bytes);
    if (m_fd >= 0) ::close(m_fd);
}

bool backing_image::reserved(std::uint64_t first, std::uint64_t last) const {
    for (std::uint64_t p = first; p <= last; ++p) {
        const std::uint64_t* leaf = m_reserved[p / pages_per_leaf].get();
        const std::uint64_t bit = p % pages_per_leaf;
        if (leaf == nullptr || !(leaf[bit / 64] >> (bit % 64) & 1)) return false;
    }
    return true;
}

void backing_image::mark_reserved(std::uint64_t first, std::uint64_t last, bool on) {
    for (std::uint64_t p = first; p <= last; ++p) {
        auto& leaf = m_reserved[p / pages_per_leaf];
        if (!leaf) {
            if (!on) { // nothing reserved in this leaf: skip to the next one
                p = (p / pages_per_leaf + 1) * pages_per_leaf - 1;
                continue;
            }
            leaf.reset(new std::uint64_t[pages_per_leaf / 64]());
        }
        const std::uint64_t bit = p % pages_per_leaf;
        if (on)
            leaf[bit / 64] |= 1ull << (bit % 64);
        else
            leaf[bit / 64] &= ~(1ull << (bit % 64));
    }
}

int backing_image::reserve(std::uint64_t offset, std::uint64_t len) {
    if (const int e = injected(image_op::allocate)) return e;
    // An image without data keeps none: nothing to allocate (a full-drive study needs no disk).
    if (len == 0 || m_map == nullptr || !m_can_reserve || !in_data(offset, len)) return 0;
    const std::uint64_t first = offset / page, last = (offset + len - 1) / page;
    if (reserved(first, last)) return 0; // the usual case: no system call
    const std::uint64_t begin = first * page;
    const std::uint64_t end = std::min((last + 1) * page, m_data_bytes);
    // Blocks allocated now (unwritten extents, still reading as zeros) cannot fail later when
    // the copy dirties the mapped pages: ENOSPC becomes a status here instead of SIGBUS.
    if (::fallocate(m_fd, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(begin),
                    static_cast<off_t>(end - begin)) != 0) {
        const int err = errno;
        if (err == EOPNOTSUPP || err == ENOSYS) {
            m_can_reserve = false; // the filesystem cannot: writes into holes stay unchecked
            return 0;
        }
        return err;
    }
    mark_reserved(first, last, true);
    return 0;
}

void backing_image::discard(std::uint64_t offset, std::uint64_t len) {
    if (len == 0) return;
    if (!in_data(offset, len))
        fail(m_path, "discard outside the data area: " + offset_text(offset, len));
    if (m_map == nullptr) return; // no data kept: it reads as zeros already
    if (const int e = injected(image_op::discard))
        fail(m_path, "cannot punch hole at " + offset_text(offset, len), e);
    const std::uint64_t end = offset + len;
    const std::uint64_t inner_begin = (offset + page - 1) / page * page;
    const std::uint64_t inner_end = end / page * page;
    // Zeroing part of a page dirties it: it needs its block like any write.
    // Bytes that read as zeros already (a hole, a never-written page) are left alone.
    auto zero = [&](std::uint64_t at, std::uint64_t n) {
        if (n == 0 || std::all_of(m_map + at, m_map + at + n, [](std::uint8_t b) { return !b; }))
            return;
        if (const int e = reserve(at, n))
            fail(m_path, "cannot allocate blocks to zero " + offset_text(at, n), e);
        std::memset(m_map + at, 0, n);
    };
    if (inner_begin >= inner_end) {
        zero(offset, len);
    } else {
        zero(offset, inner_begin - offset);
        zero(inner_end, end - inner_end);
        // Punching drops the pages from the page cache and the mapping, so they read as zeros.
        const int r = ::fallocate(m_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                  static_cast<off_t>(inner_begin),
                                  static_cast<off_t>(inner_end - inner_begin));
        if (r == 0) mark_reserved(inner_begin / page, inner_end / page - 1, false);
        if (r != 0) {
            if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EINVAL)
                fail(m_path,
                     "cannot punch hole at " + offset_text(inner_begin, inner_end - inner_begin),
                     errno);
            zero(inner_begin, inner_end - inner_begin);
        }
    }
    if (m_mode == durability::host_crash) {
        sync_data(offset, len);
        if (const int e = injected(image_op::data_sync))
            fail(m_path, "fdatasync after discard failed", e);
        if (::fdatasync(m_fd) != 0) fail(m_path, "fdatasync after discard failed", errno);
    }
}

int backing_image::check_read(std::uint64_t, std::uint64_t) const {
    return injected(image_op::data_read);
}

std::uint64_t backing_image::next_data(std::uint64_t offset) const {
    if (offset >= m_data_bytes) return m_data_bytes;
    if (injected(image_op::data_query) != 0) return offset; // cannot tell: assume data
    const off_t at = ::lseek(m_fd, static_cast<off_t>(offset), SEEK_DATA);
    if (at < 0) return errno == ENXIO ? m_data_bytes : offset; // ENXIO: holes to the end
    return std::min<std::uint64_t>(static_cast<std::uint64_t>(at), m_data_bytes);
}

void backing_image::sync_data(std::uint64_t offset, std::uint64_t len) {
    if (m_mode != durability::host_crash || len == 0 || m_map == nullptr) return;
    if (!in_data(offset, len))
        fail(m_path, "sync outside the data area: " + offset_text(offset, len));
    if (const int e = injected(image_op::data_sync))
        fail(m_path, "msync of " + offset_text(offset, len) + " failed", e);
    const std::uint64_t begin = offset / page * page;
    if (::msync(m_map + begin, offset + len - begin, MS_SYNC) != 0)
        fail(m_path, "msync of " + offset_text(offset, len) + " failed", errno);
}

void backing_image::sync_all() {
    if (const int e = injected(image_op::data_sync)) fail(m_path, "fsync failed", e);
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
    if (const int e = injected(image_op::metadata_read))
        fail(m_path, "metadata read at file offset " + std::to_string(pos) + " failed", e);
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
    if (const int e = injected(image_op::metadata_write))
        fail(m_path, "metadata write at file offset " + std::to_string(pos) + " failed", e);
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
    if (m_mode != durability::host_crash) return;
    if (const int e = injected(image_op::metadata_sync))
        fail(m_path, "fdatasync of metadata failed", e);
    if (::fdatasync(m_fd) != 0) fail(m_path, "fdatasync of metadata failed", errno);
}

} // namespace znssim
