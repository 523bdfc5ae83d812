#include "kafka_test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace wirefeed::it {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

kafka::handle_ptr make_client(rd_kafka_type_t type, std::map<std::string, std::string> props) {
  props["bootstrap.servers"] = bootstrap();
  auto conf = kafka::make_conf({props});
  if (!conf.errors.empty()) throw std::runtime_error(conf.errors.front());
  char errstr[512];
  kafka::handle_ptr rk(rd_kafka_new(type, conf.conf.get(), errstr, sizeof errstr));
  if (!rk) throw std::runtime_error(errstr);
  conf.conf.release();
  return rk;
}

}  // namespace

std::string bootstrap() {
  static const std::string value = [] {
    std::ifstream in(env_or_empty("WIREFEED_TEST_BOOTSTRAP_FILE"));
    std::string line;
    std::getline(in, line);
    return line;
  }();
  return value;
}

void restart_broker(std::chrono::seconds down, const std::function<void()>& while_down) {
  const std::string file = env_or_empty("WIREFEED_TEST_BOOTSTRAP_FILE");
  const std::string dir = file.substr(0, file.rfind('/'));
  const std::string port = bootstrap().substr(bootstrap().rfind(':') + 1);
  std::string controller_port;  // from "controller.quorum.voters=1@127.0.0.1:<port>"
  std::ifstream properties(dir + "/server.properties");
  for (std::string line; std::getline(properties, line);) {
    if (line.starts_with("controller.quorum.voters=")) controller_port = line.substr(line.rfind(':') + 1);
  }
  if (controller_port.empty()) throw std::runtime_error("no controller port in " + dir + "/server.properties");
  const std::string script = source_dir() + "/scripts/kafka-local.sh";
  if (std::system((script + " stop --dir '" + dir + "' >/dev/null").c_str()) != 0) {
    throw std::runtime_error("the broker did not stop");
  }
  if (while_down) while_down();
  std::this_thread::sleep_for(down);
  if (std::system((script + " start --port " + port + " --controller-port " + controller_port + " --dir '" + dir +
                   "' >/dev/null").c_str()) != 0) {
    throw std::runtime_error("the broker did not start again");
  }
}

void freeze_broker(std::chrono::seconds frozen, const std::function<void()>& while_frozen) {
  const std::string file = env_or_empty("WIREFEED_TEST_BOOTSTRAP_FILE");
  std::ifstream pid_file(file.substr(0, file.rfind('/')) + "/kafka.pid");
  pid_t pid = 0;
  if (!(pid_file >> pid) || pid <= 0 || ::kill(pid, SIGSTOP) != 0) throw std::runtime_error("cannot freeze the broker");
  try {
    if (while_frozen) while_frozen();
    std::this_thread::sleep_for(frozen);
  } catch (...) {
    ::kill(pid, SIGCONT);
    throw;
  }
  ::kill(pid, SIGCONT);
}

std::string daemon_binary() { return env_or_empty("WIREFEED_BIN"); }
std::string source_dir() { return env_or_empty("WIREFEED_TEST_SOURCE_DIR"); }

std::string unique_name(const std::string& base) {
  static std::atomic<int> counter{0};
  return base + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

void create_topics(const std::map<std::string, int>& topics) {
  auto rk = make_client(RD_KAFKA_PRODUCER, {});
  std::vector<rd_kafka_NewTopic_t*> specs;
  char errstr[512];
  for (const auto& [name, partitions] : topics) {
    specs.push_back(rd_kafka_NewTopic_new(name.c_str(), partitions, 1, errstr, sizeof errstr));
    if (name.ends_with(".changelog")) rd_kafka_NewTopic_set_config(specs.back(), "cleanup.policy", "compact");
  }
  kafka::queue_ptr queue(rd_kafka_queue_new(rk.get()));
  rd_kafka_CreateTopics(rk.get(), specs.data(), specs.size(), nullptr, queue.get());
  kafka::event_ptr ev(rd_kafka_queue_poll(queue.get(), 30000));
  rd_kafka_NewTopic_destroy_array(specs.data(), specs.size());
  if (!ev) throw std::runtime_error("CreateTopics timed out");
  if (rd_kafka_event_error(ev.get())) throw std::runtime_error(rd_kafka_event_error_string(ev.get()));
  size_t n = 0;
  const auto* result = rd_kafka_event_CreateTopics_result(ev.get());
  const auto** created = rd_kafka_CreateTopics_result_topics(result, &n);
  for (size_t i = 0; i < n; ++i) {
    const auto err = rd_kafka_topic_result_error(created[i]);
    if (err && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      throw std::runtime_error(std::string("create topic ") + rd_kafka_topic_result_name(created[i]) + ": " +
                               rd_kafka_err2str(err));
    }
  }
  // Wait until metadata shows every partition with a leader.
  std::vector<std::string> names;
  for (const auto& [name, p] : topics) names.push_back(name);
  const bool ready = eventually(
      [&] {
        const rd_kafka_metadata_t* raw = nullptr;
        if (rd_kafka_metadata(rk.get(), 1, nullptr, &raw, 5000)) return false;
        kafka::metadata_ptr md(raw);
        std::size_t ok = 0;
        for (int i = 0; i < md->topic_cnt; ++i) {
          const auto it = topics.find(md->topics[i].topic);
          if (it == topics.end() || md->topics[i].err || md->topics[i].partition_cnt != it->second) continue;
          bool leaders = true;
          for (int p = 0; p < md->topics[i].partition_cnt; ++p) leaders &= md->topics[i].partitions[p].leader >= 0;
          ok += leaders;
        }
        return ok == topics.size();
      },
      std::chrono::seconds(30));
  if (!ready) throw std::runtime_error("topics did not get leaders in time");
}

void produce(const std::string& topic, const std::vector<outgoing>& records, bool in_transaction) {
  std::atomic<int> failed{0};
  std::atomic<std::size_t> delivered{0};
  struct counters {
    std::atomic<int>* failed;
    std::atomic<std::size_t>* delivered;
  } c{&failed, &delivered};
  // message.max.bytes as large as the broker takes (its default message.max.bytes, 1048588): the
  // tests send records of about a megabyte. One request in flight, as the daemon's producer: with
  // librdkafka's 5, a first batch refused by a topic's leader still taking over (the tests produce
  // right after creating their topics) was reported delivered and lost, in 1 of 30-150 runs of
  // LargeInputTest (docs/operations.md, "Delivery guarantee").
  auto props = std::map<std::string, std::string>{{"linger.ms", "5"},
                                                  {"enable.idempotence", "true"},
                                                  {"max.in.flight.requests.per.connection", "1"},
                                                  {"message.max.bytes", "1048588"}};
  props["bootstrap.servers"] = bootstrap();
  if (in_transaction) props["transactional.id"] = unique_name("test-producer");
  auto conf = kafka::make_conf({props});
  rd_kafka_conf_set_opaque(conf.conf.get(), &c);
  rd_kafka_conf_set_dr_msg_cb(conf.conf.get(), [](rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* cs = static_cast<counters*>(opaque);
    if (m->err) ++*cs->failed;
    ++*cs->delivered;
  });
  char errstr[512];
  kafka::handle_ptr rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf.conf.get(), errstr, sizeof errstr));
  if (!rk) throw std::runtime_error(errstr);
  conf.conf.release();
  const auto transaction_step = [](rd_kafka_error_t* e) {
    if (kafka::error_ptr error{e}) throw std::runtime_error(std::string("test produce: ") + rd_kafka_error_string(e));
  };
  if (in_transaction) {
    transaction_step(rd_kafka_init_transactions(rk.get(), 60000));
    transaction_step(rd_kafka_begin_transaction(rk.get()));
  }
  for (const auto& r : records) {
    rd_kafka_headers_t* hdrs = nullptr;
    if (!r.hdrs.empty()) {
      hdrs = rd_kafka_headers_new(r.hdrs.size());
      for (const auto& [k, v] : r.hdrs) {
        rd_kafka_header_add(hdrs, k.data(), static_cast<ssize_t>(k.size()), v ? v->data() : nullptr,
                            v ? static_cast<ssize_t>(v->size()) : 0);
      }
    }
    for (;;) {
      const auto err = rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(r.partition),
                                         RD_KAFKA_V_KEY(r.null_key ? nullptr : r.key.data(), r.null_key ? 0 : r.key.size()),
                                         RD_KAFKA_V_VALUE(r.null_value ? nullptr : const_cast<char*>(r.value.data()),
                                                          r.null_value ? 0 : r.value.size()),
                                         RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk.get(), 10);
        continue;
      }
      if (err) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
      break;
    }
    rd_kafka_poll(rk.get(), 0);
  }
  rd_kafka_flush(rk.get(), 60000);
  if (failed || delivered != records.size()) throw std::runtime_error("test produce: deliveries failed");
  if (in_transaction) transaction_step(rd_kafka_commit_transaction(rk.get(), 60000));
}

namespace {

// Reads every partition of `topic` from the beginning until `count` messages arrived, or (with
// `to_end`) every partition reported its end, or `timeout` passed.
std::vector<message> read_topic(const std::string& topic, std::size_t count, bool to_end, std::chrono::seconds timeout) {
  auto rk = make_client(RD_KAFKA_CONSUMER, {{"group.id", unique_name("reader")},
                                            {"enable.auto.commit", "false"},
                                            {"enable.partition.eof", to_end ? "true" : "false"}});
  auto parts = kafka::fetch_partitions(rk.get(), {topic}, 10000);
  if (parts.error) throw std::runtime_error(parts.error->message);
  auto list = kafka::make_partition_list(parts.partitions);
  for (int i = 0; i < list->cnt; ++i) list->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(rk.get(), list.get());
  std::vector<message> out;
  std::set<std::int32_t> at_end;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count && !(to_end && at_end.size() == static_cast<std::size_t>(list->cnt)) &&
         std::chrono::steady_clock::now() < deadline) {
    kafka::message_ptr m(rd_kafka_consumer_poll(rk.get(), 200));
    if (m && m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) at_end.insert(m->partition);
    if (!m || m->err) continue;
    const auto in = kafka::to_input_record(m.get());
    out.push_back({in.tp.partition.value, in.off.value, in.key, in.value, in.hdrs, in.null_key, in.null_value});
  }
  rd_kafka_assign(rk.get(), nullptr);
  rd_kafka_consumer_close(rk.get());
  return out;
}

}  // namespace

std::vector<message> consume_all(const std::string& topic, std::size_t count, std::chrono::seconds timeout) {
  return read_topic(topic, count, false, timeout);
}

std::vector<message> consume_to_end(const std::string& topic, std::chrono::seconds timeout) {
  return read_topic(topic, std::numeric_limits<std::size_t>::max(), true, timeout);
}

std::map<std::int32_t, std::int64_t> end_offsets(const std::string& topic) {
  auto rk = make_client(RD_KAFKA_PRODUCER, {});
  auto parts = kafka::fetch_partitions(rk.get(), {topic}, 10000);
  std::map<std::int32_t, std::int64_t> out;
  for (const auto& tp : parts.partitions) {
    int64_t low = 0, high = 0;
    rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), tp.partition.value, &low, &high, 10000);
    out[tp.partition.value] = high;
  }
  return out;
}

std::map<std::int32_t, std::int64_t> committed_offsets(const std::string& group, const std::string& topic) {
  auto rk = make_client(RD_KAFKA_CONSUMER, {{"group.id", group}, {"enable.auto.commit", "false"}});
  auto parts = kafka::fetch_partitions(rk.get(), {topic}, 10000);
  auto list = kafka::make_partition_list(parts.partitions);
  std::map<std::int32_t, std::int64_t> out;
  if (rd_kafka_committed(rk.get(), list.get(), 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < list->cnt; ++i) out[list->elems[i].partition] = list->elems[i].offset;
  }
  rd_kafka_consumer_close(rk.get());
  return out;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

http_response http_get(int port, const std::string& path) {
  http_response out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, request.data(), request.size(), 0) < 0) {
    ::close(fd);
    return out;
  }
  std::string response;
  char buf[8192];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, static_cast<size_t>(n));
  ::close(fd);
  if (response.rfind("HTTP/1.1 ", 0) != 0) return out;
  out.status = std::atoi(response.c_str() + 9);
  if (const auto body = response.find("\r\n\r\n"); body != std::string::npos) out.body = response.substr(body + 4);
  return out;
}

double metric_value(const std::string& exposition, const std::string& name, const std::vector<std::string>& filters) {
  double sum = 0;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind(name, 0) != 0) continue;
    const char after = line.size() > name.size() ? line[name.size()] : '\0';
    if (after != '{' && after != ' ') continue;
    bool match = true;
    for (const auto& f : filters) match &= line.find(f) != std::string::npos;
    if (!match) continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

daemon_process::daemon_process(const std::vector<std::string>& args, const std::string& log_path,
                               const std::string& stdout_path)
    : log_path_(log_path) {
  std::vector<std::string> argv_storage{daemon_binary()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (stdout_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    throw std::runtime_error("cannot start " + argv_storage[0]);
  }
  posix_spawn_file_actions_destroy(&actions);
}

daemon_process::~daemon_process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

void daemon_process::signal(int signo) { ::kill(pid_, signo); }

bool daemon_process::running() {
  if (status_) return false;
  int st = 0;
  if (::waitpid(pid_, &st, WNOHANG) == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

std::optional<int> daemon_process::wait(std::chrono::seconds timeout) {
  eventually([&] { return !running(); }, timeout);
  return status_;
}

std::string daemon_process::log() const {
  std::ifstream in(log_path_);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool eventually(const std::function<bool()>& fn, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (fn()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace wirefeed::it
