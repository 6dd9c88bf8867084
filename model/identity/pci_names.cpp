#include "model/identity/pci_names.h"

#include <pciaccess.h>

#include <cstdlib>
#include <fstream>

namespace znssim::identity {

namespace {

const char* const ids_paths[] = {"/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids",
                                 "/usr/share/pci.ids"};

/// Parses "hhhh  name" (n hex digits, then whitespace, then the name) at s; false if not that
/// shape.
bool parse_entry(const std::string& s, std::size_t pos, unsigned digits, unsigned& id,
                 std::string& name) {
    if (s.size() < pos + digits + 1) return false;
    const std::string hex = s.substr(pos, digits);
    char* end = nullptr;
    const unsigned long v = std::strtoul(hex.c_str(), &end, 16);
    if (end != hex.c_str() + digits) return false;
    std::size_t n = pos + digits;
    if (s[n] != ' ' && s[n] != '\t') return false;
    while (n < s.size() && (s[n] == ' ' || s[n] == '\t'))
        ++n;
    id = static_cast<unsigned>(v);
    name = s.substr(n);
    return true;
}

} // namespace

std::mutex& pciaccess_mutex() {
    static std::mutex m;
    return m;
}

bool lookup_pci_ids_file(const std::string& path, const pci_ids_query& q, pci_names& out) {
    std::ifstream in(path);
    if (!in) return false;
    const unsigned base = (q.class_code >> 16) & 0xff, sub = (q.class_code >> 8) & 0xff,
                   pi = q.class_code & 0xff;
    enum { vendors, classes } section = vendors;
    bool in_vendor = false, in_device = false, in_class = false, in_sub = false;
    std::string line, name;
    unsigned id = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        if (line.compare(0, 2, "C ") == 0) {
            section = classes;
            in_class = parse_entry(line, 2, 2, id, name) && id == base;
            in_sub = false;
            if (in_class) out.base_class = name;
            continue;
        }
        if (section == classes) {
            if (line.compare(0, 2, "\t\t") == 0) {
                if (in_sub && parse_entry(line, 2, 2, id, name) && id == pi) out.prog_if = name;
            } else if (line[0] == '\t') {
                in_sub = in_class && parse_entry(line, 1, 2, id, name) && id == sub;
                if (in_sub) out.sub_class = name;
            } else {
                in_class = in_sub = false; // another top-level section (e.g. a later list)
            }
            continue;
        }
        if (line.compare(0, 2, "\t\t") == 0) {
            // "\t\tssss dddd  name": subsystem of the current device.
            unsigned sv = 0, sd = 0;
            std::string dummy;
            if (in_device && parse_entry(line, 2, 4, sv, dummy) &&
                parse_entry(line, 7, 4, sd, name) && sv == q.subsystem_vendor_id &&
                sd == q.subsystem_id)
                out.subsystem = name;
        } else if (line[0] == '\t') {
            in_device = in_vendor && parse_entry(line, 1, 4, id, name) && id == q.device_id;
            if (in_device) out.device = name;
        } else if (parse_entry(line, 0, 4, id, name)) {
            in_vendor = id == q.vendor_id;
            in_device = false;
            if (in_vendor) out.vendor = name;
            if (id == q.subsystem_vendor_id) out.subsystem_vendor = name;
        }
    }
    return true;
}

pci_names lookup_pci_names(const pci_ids_query& q) {
    pci_names names;
    bool file_read = false;
    for (const char* p : ids_paths)
        if ((file_read = lookup_pci_ids_file(p, q, names))) break;
    {
        std::lock_guard<std::mutex> lock(pciaccess_mutex());
        const pci_id_match m{
            q.vendor_id, q.device_id, q.subsystem_vendor_id, q.subsystem_id, 0, 0, 0};
        const char *dev = nullptr, *ven = nullptr, *subdev = nullptr, *subven = nullptr;
        pci_get_strings(&m, &dev, &ven, &subdev, &subven);
        // libpciaccess is the primary source for IDs; the file parse above fills what it lacks.
        if (ven) names.vendor = ven;
        if (dev) names.device = dev;
        if (subven) names.subsystem_vendor = subven;
        if (subdev) names.subsystem = subdev;
    }
    if (!file_read && names.sub_class.empty() && (q.class_code >> 8) == 0x0108) {
        // No database at all: still name the one class this model is about.
        names.base_class = "Mass storage controller";
        names.sub_class = "Non-Volatile memory controller";
        if ((q.class_code & 0xff) == 0x02) names.prog_if = "NVM Express";
    }
    return names;
}

} // namespace znssim::identity
