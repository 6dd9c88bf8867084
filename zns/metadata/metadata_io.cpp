#include "zns/metadata/metadata_io.h"

#include "model/storage/backing_image.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace znssim::zns::metadata {

void image_metadata_io::read(std::uint64_t offset, void* dst, std::size_t len) const {
    m_img.read_metadata(offset, dst, len);
}
void image_metadata_io::write(std::uint64_t offset, const void* src, std::size_t len) {
    m_img.write_metadata(offset, src, len);
}
void image_metadata_io::sync() {
    m_img.sync_metadata();
}
const std::string& image_metadata_io::name() const {
    return m_img.path();
}

file_metadata_io::file_metadata_io(const std::string& path, std::uint64_t base, bool writable)
    : m_path(path), m_base(base) {
    m_fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (m_fd < 0) throw image_error(path + ": cannot open: " + std::strerror(errno));
}

file_metadata_io::~file_metadata_io() {
    if (m_fd >= 0) ::close(m_fd);
}

std::uint64_t file_metadata_io::file_size() const {
    struct stat st {};
    if (::fstat(m_fd, &st) != 0)
        throw image_error(m_path + ": cannot stat: " + std::strerror(errno));
    return static_cast<std::uint64_t>(st.st_size);
}

void file_metadata_io::read(std::uint64_t offset, void* dst, std::size_t len) const {
    auto* p = static_cast<std::uint8_t*>(dst);
    std::size_t done = 0;
    while (done < len) {
        const ssize_t n =
            ::pread(m_fd, p + done, len - done, static_cast<off_t>(m_base + offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw image_error(
                m_path + ": short read of " + std::to_string(len) + " bytes at offset " +
                std::to_string(m_base + offset) +
                (n < 0 ? std::string(": ") + std::strerror(errno) : " (truncated image)"));
        done += static_cast<std::size_t>(n);
    }
}

void file_metadata_io::write(std::uint64_t offset, const void* src, std::size_t len) {
    const auto* p = static_cast<const std::uint8_t*>(src);
    std::size_t done = 0;
    while (done < len) {
        const ssize_t n =
            ::pwrite(m_fd, p + done, len - done, static_cast<off_t>(m_base + offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw image_error(m_path + ": write of " + std::to_string(len) + " bytes at offset " +
                              std::to_string(m_base + offset) + " failed: " + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

void file_metadata_io::sync() {
    if (::fdatasync(m_fd) != 0)
        throw image_error(m_path + ": fdatasync failed: " + std::strerror(errno));
}

} // namespace znssim::zns::metadata
