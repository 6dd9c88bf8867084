// libFuzzer harness: a zoned namespace image whose metadata region the input damages, read as
// `znssim zones` reads it and opened as a start of the model does. Either is allowed to refuse
// the image (image_error, naming it); anything else escaping, a crash, or an image that is
// accepted but then breaks the zone rules, reads back differently or is changed while refused,
// is a finding.
//
// Input: the geometry, zone records written through the codec (any state, write pointer and
// attributes), data in the data area, raw byte patches anywhere in the file, optional CRC
// repairs (so the checks behind the checksums are reached), and a size change.
#include "model/sim/scheduler.h"
#include "model/storage/backing_image.h"
#include "nvme/ns/namespace_params.h"
#include "test/fuzz/fuzz_check.h"
#include "zns/metadata/zone_metadata.h"
#include "zns/report.h"
#include "zns/zoned_namespace.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace {

using namespace znssim;
namespace md = zns::metadata;
using zns::zone_state;

// Whole-file reads and writes with plain system calls: the images are a few MiB (mostly holes)
// and this runs for every input.
std::vector<std::uint8_t> file_bytes(const std::string& path) {
    std::vector<std::uint8_t> out;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return out;
    out.resize(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)));
    const ssize_t n = ::pread(fd, out.data(), out.size(), 0);
    ::close(fd);
    FUZZ_CHECK(n == static_cast<ssize_t>(out.size()), "short read of {}", path);
    return out;
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    FUZZ_CHECK(fd >= 0, "cannot open {}", path);
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), 0);
    ::close(fd);
    FUZZ_CHECK(n == static_cast<ssize_t>(bytes.size()), "short write of {}", path);
}

template <class T> void fix_crc(std::uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    v.crc = 0;
    v.crc = md::crc32c(&v, sizeof v);
    std::memcpy(p, &v, sizeof v);
}

/// Writes the image: a formatted region, records and data, then the input's damage.
void make_image(FuzzedDataProvider& in, const std::string& path, const md::geometry& g) {
    const md::region_layout lay = md::region_layout::of(g);
    const std::uint64_t data = g.data_bytes();
    {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
        FUZZ_CHECK(fd >= 0 && ::ftruncate(fd, static_cast<off_t>(data + lay.bytes)) == 0,
                   "cannot create {}", path);
        ::close(fd);
        md::file_metadata_io io(path, data, true);
        md::zone_metadata meta(io, g);
        meta.format();
        const unsigned records = in.ConsumeIntegralInRange<unsigned>(0, 3 * g.zone_count);
        for (unsigned k = 0; k < records; ++k) {
            const std::uint32_t z = in.ConsumeIntegralInRange<std::uint32_t>(0, g.zone_count - 1);
            const std::uint64_t zs = std::uint64_t{z} * g.zone_size;
            const std::uint8_t states[] = {0x1, 0x2, 0x3, 0x4, 0xd, 0xe, 0xf};
            const std::uint8_t s = in.ConsumeIntegralInRange(0, 15) == 0
                                       ? in.ConsumeIntegral<std::uint8_t>()
                                       : states[in.ConsumeIntegralInRange(0, 6)];
            const std::uint64_t wp =
                in.ConsumeIntegralInRange(0, 15) == 0
                    ? in.ConsumeIntegral<std::uint64_t>()
                    : zs + in.ConsumeIntegralInRange<std::uint64_t>(0, g.zone_capacity + 1);
            meta.write_zone(z, static_cast<zone_state>(s), wp, in.ConsumeIntegral<std::uint8_t>());
        }
        if (g.ext_bytes && in.ConsumeBool()) {
            std::vector<std::uint8_t> ext(g.ext_bytes, in.ConsumeIntegral<std::uint8_t>());
            meta.write_extension(in.ConsumeIntegralInRange<std::uint32_t>(0, g.zone_count - 1),
                                 ext.data());
        }
    }
    std::vector<std::uint8_t> img = file_bytes(path);
    // Data here and there (above write pointers it must be discarded at start).
    for (unsigned n = in.ConsumeIntegralInRange<unsigned>(0, 4); n > 0; --n)
        img[in.ConsumeIntegralInRange<std::uint64_t>(0, data - 1)] = 0x5a;
    // Raw damage, mostly in the metadata region.
    for (unsigned n = in.ConsumeIntegralInRange<unsigned>(0, 6); n > 0; --n) {
        const std::uint64_t at =
            in.ConsumeBool() ? in.ConsumeIntegralInRange<std::uint64_t>(0, img.size() - 1)
                             : data + in.ConsumeIntegralInRange<std::uint64_t>(0, lay.bytes - 1);
        const std::vector<std::uint8_t> bytes =
            in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(1, 16));
        for (std::size_t i = 0; i < bytes.size() && at + i < img.size(); ++i)
            img[at + i] = bytes[i];
    }
    // Repair checksums so the checks after them see the damage.
    const unsigned repair = in.ConsumeIntegral<std::uint8_t>();
    if (repair & 1) fix_crc<md::header>(&img[data]);
    if (repair & 2) fix_crc<md::footer>(&img[img.size() - sizeof(md::footer)]);
    if (repair & 4)
        for (std::uint32_t z = 0; z < g.zone_count; ++z)
            for (unsigned s = 0; s < 2; ++s) {
                std::uint8_t* r = &img[data + lay.record_offset(z, s)];
                std::uint32_t magic;
                std::memcpy(&magic, r, 4);
                if (magic == md::record_magic) fix_crc<md::zone_record>(r);
            }
    // A truncated or grown file.
    switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0:
        img.resize(img.size() - in.ConsumeIntegralInRange<std::size_t>(0, img.size()));
        break;
    case 1:
        img.resize(img.size() + in.ConsumeIntegralInRange<std::size_t>(1, 8192));
        break;
    default:
        break;
    }
    write_file(path, img);
}

void check_report(const zns::zone_report& r) {
    for (const zns::zone_report_entry& e : r.zones) {
        if (e.conventional) continue;
        FUZZ_CHECK(e.wp >= e.start && e.wp <= e.start + e.cap,
                   "report: zone {} write pointer {} outside [{}, {}]", e.index, e.wp, e.start,
                   e.start + e.cap);
        FUZZ_CHECK(e.state != zone_state::imp_open && e.state != zone_state::exp_open,
                   "report: zone {} presented open", e.index);
    }
    (void)zns::format_zone_report_text(r);
    (void)zns::format_zone_report_json(r);
}

void check_opened(const zns::zoned_namespace& ns, const zns::zone_report& before_close) {
    const zns::zone_state_machine& sm = ns.zones();
    for (std::uint32_t i = 0; i < sm.zone_count(); ++i) {
        const zns::zone& z = sm.at(i);
        if (z.conventional) continue;
        FUZZ_CHECK(z.wp >= z.start && z.wp <= z.end(), "zone {} restored with wp {}", i, z.wp);
        FUZZ_CHECK(!z.is_open(), "zone {} restored open", i);
        if (z.state == zone_state::empty || z.state == zone_state::offline)
            FUZZ_CHECK(z.wp == z.start, "zone {} restored {} with wp {}", i,
                       zns::zone_state_name(z.state), z.wp);
        if (z.state == zone_state::full)
            FUZZ_CHECK(z.wp == z.end(), "zone {} restored Full with wp {}", i, z.wp);
        // What the offline report said the start would make of the zone is what it made.
        const zns::zone_report_entry& e = before_close.zones[i];
        FUZZ_CHECK(e.state == z.state && e.wp == z.wp,
                   "zone {}: znssim zones said {} at {}, the start made it {} at {}", i,
                   zns::zone_state_name(e.state), e.wp, zns::zone_state_name(z.state), z.wp);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::quiet_logs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    nvme::namespace_params p;
    p.nsid = 1;
    p.image = fuzz::scratch_dir() + "/meta.img";
    p.zoned = true;
    p.lba_size = in.ConsumeBool() ? 4096 : 512;
    nvme::zoned_params& z = p.zoned_cfg;
    z.zone_size_lbas = 8ull << in.ConsumeIntegralInRange(0, 3);
    z.zone_capacity_lbas = in.ConsumeIntegralInRange<std::uint64_t>(1, z.zone_size_lbas);
    z.zone_count = in.ConsumeIntegralInRange<std::uint32_t>(1, 12);
    z.conventional_zones = in.ConsumeIntegralInRange<std::uint32_t>(0, z.zone_count - 1);
    z.descriptor_extension_bytes = in.ConsumeBool() ? 64 : 0;
    p.mode = in.ConsumeBool() ? durability::host_crash : durability::process_crash;
    p.store_data = in.ConsumeIntegralInRange(0, 7) != 0;
    const md::geometry g = zns::geometry_of(p);
    make_image(in, p.image, g);
    const std::vector<std::uint8_t> written = file_bytes(p.image);

    // The offline report (znssim zones).
    bool report_ok = false;
    zns::zone_report report;
    try {
        report = zns::read_zone_report(p.image);
        report_ok = true;
        check_report(report);
    } catch (const image_error&) {
    }

    // A start of the model on the image.
    manual_scheduler sched;
    try {
        zns::zoned_namespace ns(p, sched);
        if (report_ok && report.geo.data_bytes() == g.data_bytes() && !ns.formatted_at_start())
            check_opened(ns, report);
        ns.shutdown();
    } catch (const image_error&) {
        // Refused: nothing may have been changed (docs/image-format.md, "Start-up rules").
        FUZZ_CHECK(file_bytes(p.image) == written, "a refused image was changed");
        return 0;
    }
    // Accepted: what is on the image now reads back, and a second start changes nothing.
    const zns::zone_report after = zns::read_zone_report(p.image);
    check_report(after);
    const std::vector<std::uint8_t> settled = file_bytes(p.image);
    {
        zns::zoned_namespace again(p, sched);
        again.shutdown();
    }
    FUZZ_CHECK(file_bytes(p.image) == settled, "a second start of an unchanged image wrote to it");
    return 0;
}
