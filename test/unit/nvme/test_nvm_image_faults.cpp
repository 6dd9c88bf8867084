// Backing image failures under a conventional namespace, through the whole controller core: the
// completion carries the media or capacity status, the Error Information log and SMART record it,
// and a SIGBUS inside a mapped image becomes a clear error line instead of a silent death.
#include "model/storage/backing_image.h"
#include "nvme/nvm/nvm_command_set.h"
#include "test/unit/nvme/nvm_fixture.h"
#include "test_core_fixture.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

using namespace znssim;
using namespace znssim::test;

namespace {

struct scoped_faults {
    image_fault_plan plan;
    scoped_faults() { backing_image::set_fault_plan(&plan); }
    ~scoped_faults() { backing_image::set_fault_plan(nullptr); }
};

nvme::spec::sqe io_cmd(std::uint8_t opcode, std::uint16_t cid, std::uint64_t slba,
                       std::uint32_t nlb, std::uint64_t buf) {
    nvme::spec::sqe e{};
    e.opcode = opcode;
    e.cid = cid;
    e.nsid = 1;
    e.dptr1 = buf;
    e.cdw10 = static_cast<std::uint32_t>(slba);
    e.cdw12 = nlb - 1;
    return e;
}

std::unique_ptr<nvme::nvm_namespace> conventional(const temp_dir& dir, durability mode) {
    nvme::namespace_params p;
    p.image = dir.file("c.img");
    p.lba_size = 4096;
    p.capacity_lbas = 256;
    p.mode = mode;
    return std::make_unique<nvme::nvm_namespace>(p, "SN");
}

} // namespace

TEST_CASE("core_faults: image failures complete with media/capacity status, logged and counted") {
    temp_dir dir;
    core_fixture f(core_fixture::make_params(), conventional(dir, durability::host_crash),
                   nvme::nvm_command_set());
    f.enable();
    auto q = f.create_pair(1);
    const std::uint64_t buf = 0x600000;
    scoped_faults faults;
    faults.plan.fail(image_op::allocate, 1);  // ENOSPC
    faults.plan.fail(image_op::data_read, 1); // EIO
    faults.plan.fail(image_op::data_sync, 1); // EIO on msync
    f.submit(q, io_cmd(0x01, 1, 0, 1, buf));  // write: no space
    f.submit(q, io_cmd(0x02, 2, 0, 1, buf));  // read: EIO
    f.submit(q, io_cmd(0x01, 3, 4, 1, buf));  // write: space, but the sync fails
    f.submit(q, io_cmd(0x01, 4, 8, 1, buf));  // write: fine
    struct expect {
        std::uint16_t cid, code;
        bool dnr;
    };
    for (const expect e : {expect{1, 0x081, true}, expect{2, 0x281, true}, expect{3, 0x280, true},
                           expect{4, 0x000, false}}) {
        CAPTURE(e.cid);
        const auto c = f.reap(q);
        CHECK(c.cid == e.cid);
        CHECK(core_fixture::status_code(c) == e.code);
        CHECK(core_fixture::dnr(c) == e.dnr);
    }
    const nvme::controller_logs& logs = f.core->logs();
    CHECK(logs.error_count == 3);
    CHECK(logs.health.media_errors == 2); // the read and the failed sync; not the full disk
    const nvme::error_entry& last =
        logs.errors[(logs.errors_head + logs.error_entries - 1) % logs.error_entries];
    CHECK(last.cid == 3);
    CHECK(last.nsid == 1);
    CHECK((last.status & 0x7ff) == 0x280);
    CHECK((f.core->csts() & nvme::spec::csts::cfs) == 0); // the controller goes on
}

TEST_CASE("storage_image: a SIGBUS in a mapped image is a clear error, not a silent death") {
    temp_dir dir;
    const std::string path = dir.file("bus.img");
    int err_pipe[2];
    REQUIRE(::pipe(err_pipe) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(err_pipe[1], STDERR_FILENO);
        backing_image::options o;
        o.path = path;
        o.data_bytes = 1 << 20;
        auto img = backing_image::open(o);
        std::filesystem::resize_file(path, 0); // the pages behind the mapping are gone
        volatile std::uint8_t v = *img->data(8192);
        (void)v;
        ::_exit(0);
    }
    ::close(err_pipe[1]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    char buf[512] = {};
    const ssize_t n = ::read(err_pipe[0], buf, sizeof buf - 1);
    ::close(err_pipe[0]);
    const std::string msg(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    INFO(msg);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(msg.rfind("znssim: error: backing image '" + path + "': I/O error at data offset 8192",
                    0) == 0);
}
