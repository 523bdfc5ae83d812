// pipeline.threads 0: the CPUs a cgroup v2 quota leaves the process, read where systemd and
// container runtimes put it.
#include "daemon/engine_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace wirefeed {
namespace {

class CgroupQuotaTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("wirefeed-cgroup-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_ / "system.slice" / "wirefeed.service");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void cpu_max(const std::filesystem::path& dir, const std::string& text) { std::ofstream(root_ / dir / "cpu.max") << text; }

  std::filesystem::path root_;
};

// systemd's CPUQuota=150% is on the service's own cgroup, not on the root (which has no cpu.max).
TEST_F(CgroupQuotaTest, AServicesQuotaIsReadFromItsOwnCgroup) {
  cpu_max("system.slice/wirefeed.service", "150000 100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/system.slice/wirefeed.service\n"), 1.5);
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/system.slice/other.service\n"), std::nullopt);
}

// A slice above it can be tighter: the tightest counts; "max" is no quota.
TEST_F(CgroupQuotaTest, TheTightestQuotaOfTheCgroupAndThoseAboveItCounts) {
  cpu_max("system.slice/wirefeed.service", "max 100000\n");
  cpu_max("system.slice", "50000 100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/system.slice/wirefeed.service\n"), 0.5);
}

// In a container with a cgroup namespace the process sees itself at the root, its quota there;
// a cgroup v1 line ("4:cpu,cpuacct:/...") is not read.
TEST_F(CgroupQuotaTest, InAContainerTheQuotaIsOnTheRootItSees) {
  cpu_max("", "200000 100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/\n"), 2.0);
  EXPECT_EQ(cgroup_cpu_quota(root_, "4:cpu,cpuacct:/system.slice\n"), 2.0);  // no v2 line: the root's
  EXPECT_EQ(cgroup_cpu_quota(root_ / "missing", "0::/\n"), std::nullopt);
}

TEST(UsableCpusTest, IsAtLeastOneAndAtMostTheMachinesCount) {
  EXPECT_GE(usable_cpus(), 1u);
  EXPECT_LE(usable_cpus(), std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace wirefeed
