#pragma once
// Byte access to a metadata region: through the namespace's backing_image while simulating, or
// through a plain file descriptor for the offline zone report and for tests.
#include <cstddef>
#include <cstdint>
#include <string>

namespace znssim {
class backing_image;
}

namespace znssim::zns::metadata {

class metadata_io {
  public:
    virtual ~metadata_io() = default;
    /// Offsets are relative to the start of the metadata region. Both throw image_error.
    virtual void read(std::uint64_t offset, void* dst, std::size_t len) const = 0;
    virtual void write(std::uint64_t offset, const void* src, std::size_t len) = 0;
    /// Makes metadata written so far durable as the image's durability mode requires.
    virtual void sync() = 0;
    /// The image path, for error messages.
    virtual const std::string& name() const = 0;
};

/// The metadata region of a backing_image (the simulation path).
class image_metadata_io final : public metadata_io {
  public:
    explicit image_metadata_io(backing_image& img) : m_img(img) {}
    void read(std::uint64_t offset, void* dst, std::size_t len) const override;
    void write(std::uint64_t offset, const void* src, std::size_t len) override;
    void sync() override;
    const std::string& name() const override;

  private:
    backing_image& m_img;
};

/// A region of a plain file starting at 'base' (offline report, probing, tests).
class file_metadata_io final : public metadata_io {
  public:
    file_metadata_io(const std::string& path, std::uint64_t base, bool writable);
    ~file_metadata_io() override;
    file_metadata_io(const file_metadata_io&) = delete;
    file_metadata_io& operator=(const file_metadata_io&) = delete;

    void read(std::uint64_t offset, void* dst, std::size_t len) const override;
    void write(std::uint64_t offset, const void* src, std::size_t len) override;
    void sync() override;
    const std::string& name() const override { return m_path; }
    std::uint64_t file_size() const;

  private:
    std::string m_path;
    std::uint64_t m_base;
    int m_fd = -1;
};

} // namespace znssim::zns::metadata
