#include "pipeline/engine.h"

#include <algorithm>
#include <future>
#include <thread>
#include <tuple>

#include <boost/asio/post.hpp>

#include "pipeline/offset_tracker.h"

namespace wirefeed {
namespace asio = boost::asio;

// Per-partition state. Fields are owned by the ordered thread unless marked otherwise.
struct engine::partition_state {
  explicit partition_state(topic_partition p) : tp(std::move(p)) {}
  const topic_partition tp;
  std::deque<std::shared_ptr<work_item>> waiting;  // consumed, not yet released, in offset order
  offset_tracker tracker;                          // consumed, not yet finished
  std::optional<offset> stored;                    // last position handed to the committer
  bool caught_up = false;                          // at its end, until its next record arrives
  std::chrono::steady_clock::time_point empty_since = std::chrono::steady_clock::now();
  bool revoked = false;                            // given up: drop whatever still arrives
  bool dirty = false;                              // finished work since its position was last stored
  std::optional<offset> released;                  // exactly once: after the last released record
  bool uncommitted = false;                        // exactly once: released since the last commit
  // Any thread: work consumed and not yet finished, for backpressure and revocation.
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::int64_t> in_flight_bytes{0};
};

// One input record on its way through. `processed` is written by exactly one pool thread before
// it hands the item to drain_completions, and read on the ordered thread only once `ready` is set
// there; everything else belongs to the ordered thread.
struct engine::work_item {
  input_record record;
  std::shared_ptr<partition_state> part;
  std::optional<result<article>> processed;
  std::size_t processed_bytes = 0;  // heap_bytes of the processed article
  std::int64_t charge = 0;          // against max_in_flight_bytes, while in flight
  bool ready = false;
  std::size_t outputs_pending = 0;
  bool finished = false;
  // Its outputs other than changelog records, sent once its changelog records (changelog_pending
  // of them still unacknowledged) and every earlier item's are: held_ below.
  std::vector<output_record> held;
  std::size_t changelog_pending = 0;
};

// Completions from the pool and the sink, handed to the ordered thread in batches: one post wakes
// it for everything that finished meanwhile. Also lets sink callbacks that fire after the engine is
// gone (a producer purging its queue on destruction) do nothing instead of touching freed memory.
struct engine::callback_gate {
  std::mutex mu;
  bool open = true;
  std::vector<std::shared_ptr<work_item>> processed;
  std::vector<std::pair<std::shared_ptr<work_item>, std::optional<delivery_error>>> delivered;
  bool scheduled = false;  // a drain_completions is posted and has not taken the batches yet
};

namespace {

std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::size_t pool_size(std::size_t configured) {
  if (configured > 0) return configured;
  return std::max(1u, std::thread::hardware_concurrency());
}

// The merge order across partitions: record time, then partition, then offset.
auto merge_key(const input_record& r) { return std::tie(r.timestamp_ms, r.tp, r.off); }

}  // namespace

engine::engine(engine_options options, chain& c, sink& out, offset_committer& committer, probe& p,
               transaction* txn)
    : options_(std::move(options)),
      chain_(c),
      sink_(out),
      committer_(committer),
      probe_(p),
      txn_(txn),
      pool_threads_(pool_size(options_.threads)),
      pool_(pool_threads_),
      ordered_work_(asio::make_work_guard(ordered_)),
      ordered_thread_([this] { ordered_.run(); }),
      gate_(std::make_shared<callback_gate>()),
      footprint_ratio_(options_.first_footprint_ratio) {}

engine::~engine() {
  {
    std::lock_guard lock(gate_->mu);
    gate_->open = false;
  }
  pool_.stop();
  pool_.join();
  ordered_work_.reset();
  ordered_.stop();
  ordered_thread_.join();
  // Work never released (a fatal stop leaves some) holds its partition, which holds it back in
  // `waiting`: break the cycle. No other thread runs now.
  for (auto& [tp, part] : assigned_) part->waiting.clear();
  for (auto& [tp, part] : active_) part->waiting.clear();
}

void engine::request_stop() {
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  std::int64_t never = 0;
  stop_requested_at_.compare_exchange_strong(never, now);  // the first request's time
  stop_requested_ = true;
  progress_.notify_all();
}

void engine::fail(const std::string& why, bool rebalanced) {
  {
    std::lock_guard lock(mu_);
    if (!fatal_) {
      error_ = why;
      rebalanced_ = rebalanced;
    }
    fatal_ = true;
  }
  request_stop();
}

run_summary engine::run(source& src) {
  src.set_listener(this);
  std::vector<input_record> batch;
  auto next_progress = std::chrono::steady_clock::now() + options_.progress_interval;
  bool input_done = false;

  while (!stop_requested_) {
    batch.clear();
    const poll_status st = src.poll(batch, options_.poll_timeout);
    if (!batch.empty()) admit(batch);
    apply_partition_ends();
    if (st == poll_status::fatal) {
      fail("source: " + src.last_error());
      break;
    }
    if (st == poll_status::end_of_input) {
      input_done = true;
      break;
    }
    probe_.set_in_flight(in_flight_messages_, in_flight_bytes_);  // as admitted: the gauge shows the peaks too
    apply_backpressure(src);
    if (!options_.bounded) asio::post(ordered_, [this] { release_ready(); });  // idle partitions time out
    probe_.set_in_flight(in_flight_messages_, in_flight_bytes_);
    if (options_.on_progress && std::chrono::steady_clock::now() >= next_progress) {
      options_.on_progress(consumed_, finished_);
      next_progress = std::chrono::steady_clock::now() + options_.progress_interval;
    }
  }

  // Drain: a finished bounded input waits for everything, unless a stop comes; a stop waits at
  // most drain_timeout from when it came (a signal after a replay's input ended too).
  set_draining(true);
  const auto finished_all = [&] {
    if (options_.on_progress && std::chrono::steady_clock::now() >= next_progress) {
      options_.on_progress(consumed_, finished_);
      next_progress = std::chrono::steady_clock::now() + options_.progress_interval;
    }
    return in_flight_messages_ == 0;
  };
  run_summary summary;
  summary.input_ended = input_done;
  auto stop_deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  if (input_done) {
    summary.drained = wait_for_in_flight([&] { return finished_all() || stop_requested_; },
                                         std::chrono::steady_clock::time_point::max());
    stop_deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  }
  if (summary.drained) summary.drained = wait_for_in_flight(finished_all, stop_deadline);
  // Output that waits for room in the sink (every broker down, the producer's queue full) would
  // hold the strand, and the stop, until the outage ends: it fails now, as what the stop gave up
  // on (not an error of the run), and its input is consumed again.
  if (!summary.drained) {
    gave_up_waiting_ = true;
    sink_.stop_waiting();
  }
  // What the strand learned since its last checkpoint, so that a restart after a stop goes on from
  // here. If it is not delivered, the restart takes the periodic checkpoint before it (the summary
  // tells). Not after a fatal error: the sink may be broken, or another instance (that fenced this
  // one) owns the state now.
  bool failed = false;
  {
    std::lock_guard lock(mu_);
    failed = fatal_;
  }
  auto delivered = std::make_shared<std::atomic<std::size_t>>(0);
  if (!failed) {
    run_ordered_and_wait([&] {
      for (auto& r : chain_.checkpoint_learned()) {
        ++summary.checkpoint_records;
        sent_since_commit_ = true;
        sink_.send(std::move(r), [delivered](const std::optional<delivery_error>& e) {
          if (!e) ++*delivered;
        });
      }
      commit_transaction(/*now=*/true);
    });
  }
  const auto flush_left = std::max(std::chrono::milliseconds(1000),
                                   std::chrono::duration_cast<std::chrono::milliseconds>(
                                       stop_deadline - std::chrono::steady_clock::now()));
  if (!sink_.flush(flush_left)) summary.drained = false;
  // What the flush delivered is finished on the strand (its completions were posted there before
  // this), so that the last commit covers it and a restart does not consume it again.
  if (!failed) run_ordered_and_wait([] {});
  summary.checkpoint_delivered = *delivered;
  summary.committed = committer_.commit();
  src.close();
  probe_.set_in_flight(in_flight_messages_, in_flight_bytes_);
  if (options_.on_progress) options_.on_progress(consumed_, finished_);

  summary.consumed = consumed_;
  summary.finished = finished_;
  std::lock_guard lock(mu_);
  // A fatal error the last commit or the close found (a story owner fenced by its successor
  // while it drained) is a failed stop, not a clean one.
  if (!fatal_ && !src.last_error().empty()) {
    fatal_ = true;
    error_ = "source: " + src.last_error();
  }
  summary.ok = !fatal_;
  summary.error = error_;
  summary.rebalanced = fatal_ && rebalanced_;
  summary.transactions = transactions_;
  return summary;
}

bool engine::wait_for_in_flight(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  while (!done()) {
    if (fatal_) return false;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Woken by every finished item; the timeout keeps progress reports flowing.
    progress_.wait_for(lock, std::chrono::milliseconds(100));
  }
  return true;
}

void engine::admit(std::vector<input_record>& batch) {
  std::vector<std::shared_ptr<work_item>> items;
  items.reserve(batch.size());
  for (auto& record : batch) {
    auto it = assigned_.find(record.tp);
    if (it == assigned_.end()) continue;  // a partition we no longer own: the next owner reads it
    auto item = std::make_shared<work_item>();
    item->part = it->second;
    item->record = std::move(record);
    item->charge = charge(item->record.value.size());
    item->part->in_flight += 1;
    item->part->in_flight_bytes += item->charge;
    in_flight_messages_ += 1;
    in_flight_bytes_ += item->charge;
    consumed_ += 1;
    probe_.on_consumed(item->record.tp.topic, item->record.value.size());
    items.push_back(std::move(item));
  }
  if (items.empty()) return;
  // Register in consumption order first; the ordered thread runs this before any completion posted later.
  asio::post(ordered_, [this, items] {
    bool ready = false;
    for (const auto& item : items) {
      if (item->part->revoked) continue;
      auto& part = *item->part;
      // The position before anything is done is where consumption started: nothing to store.
      if (!part.stored) part.stored = item->record.off;
      part.caught_up = false;
      part.waiting.push_back(item);
      part.tracker.track(item->record.off);
      ready = ready || item->ready;
    }
    // A batch of completions posted before this registration may already have marked some ready.
    if (ready) release_ready();
  });
  // To the pool in chunks: one post (and one worker wake-up) per chunk rather than per message,
  // still at least two chunks per worker so that a small batch spreads over the pool. Each result
  // is handed on as soon as it is ready.
  const std::size_t chunk = std::clamp<std::size_t>(items.size() / (2 * pool_threads_), 1, 32);
  for (std::size_t from = 0; from < items.size(); from += chunk) {
    const auto to = std::min(items.size(), from + chunk);
    std::vector<std::shared_ptr<work_item>> part(std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(from)),
                                                 std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(to)));
    asio::post(pool_, [this, part = std::move(part)] {
      for (const auto& item : part) {
        item->processed = chain_.run_parallel(item->record);
        if (*item->processed) item->processed_bytes = heap_bytes(**item->processed);
        std::lock_guard lock(gate_->mu);
        gate_->processed.push_back(item);
        schedule_completions();
      }
    });
  }
}

std::int64_t engine::charge(std::size_t bytes) const {
  return static_cast<std::int64_t>(static_cast<double>(bytes) * footprint_ratio_.load(std::memory_order_relaxed));
}

void engine::recharge(work_item& item, std::size_t output_bytes) {
  const auto record_bytes = item.record.value.size();
  // Sums that forget with a half-life of about 700 records: the feed's mix may change.
  constexpr double keep = 1 - 1.0 / 1024;
  released_record_bytes_ = released_record_bytes_ * keep + static_cast<double>(record_bytes);
  released_held_bytes_ = released_held_bytes_ * keep + static_cast<double>(record_bytes + item.processed_bytes);
  if (released_record_bytes_ > 0) {
    footprint_ratio_.store(std::max(1.0, released_held_bytes_ / released_record_bytes_), std::memory_order_relaxed);
  }
  const auto now = static_cast<std::int64_t>(record_bytes + output_bytes);
  item.part->in_flight_bytes += now - item.charge;
  in_flight_bytes_ += now - item.charge;
  item.charge = now;
}

bool engine::over_budget() const {
  return in_flight_messages_ >= options_.max_in_flight_messages || in_flight_bytes_ >= options_.max_in_flight_bytes;
}

void engine::apply_backpressure(source& src) {
  // A paused partition that holds no work any more is resumed whatever the budget: the ordered
  // release may be waiting for its next record, and it costs nothing while it holds nothing.
  std::vector<topic_partition> to_resume;
  for (const auto& tp : paused_) {
    if (assigned_.at(tp)->in_flight == 0) to_resume.push_back(tp);
  }
  const bool drained_enough = in_flight_messages_ <= options_.max_in_flight_messages / 2 &&
                              in_flight_bytes_ <= options_.max_in_flight_bytes / 2;
  if (drained_enough) to_resume.assign(paused_.begin(), paused_.end());
  if (!to_resume.empty()) {
    src.resume(to_resume);
    for (const auto& tp : to_resume) paused_.erase(tp);
  }
  if (!over_budget()) return;

  // Stop consuming for a while: usually the pipeline catches up and nothing needs pausing. Not
  // when the ordered release is starved for a partition's next record: only polling brings it.
  wait_for_in_flight([&] { return !over_budget() || stop_requested_ || starved_; },
                     std::chrono::steady_clock::now() + options_.pause_after);
  if (!over_budget()) return;
  // Starved: keep polling past the budget, up to twice it. What comes in is what librdkafka had
  // already fetched (it held that memory anyway), and pausing now would make it drop and re-fetch
  // every other partition's prefetched records for the one record the release waits for.
  if (starved_ && in_flight_messages_ < 2 * options_.max_in_flight_messages &&
      in_flight_bytes_ < 2 * options_.max_in_flight_bytes) {
    return;
  }
  // Still stuck: pause the partitions that hold work (polling goes on, for the group's sake). An
  // empty partition stays unpaused: it may be what the ordered release waits for.
  std::vector<topic_partition> to_pause;
  for (const auto& [tp, part] : assigned_) {
    if (part->in_flight > 0 && !paused_.contains(tp)) to_pause.push_back(tp);
  }
  if (!to_pause.empty()) {
    src.pause(to_pause);
    paused_.insert(to_pause.begin(), to_pause.end());
    probe_.on_partitions_paused(to_pause.size());
  }
}

void engine::schedule_completions() {
  if (gate_->scheduled) return;
  gate_->scheduled = true;
  asio::post(ordered_, [this] { drain_completions(); });
}

void engine::drain_completions() {
  std::vector<std::shared_ptr<work_item>> processed;
  std::vector<std::pair<std::shared_ptr<work_item>, std::optional<delivery_error>>> delivered;
  {
    std::lock_guard lock(gate_->mu);
    processed.swap(gate_->processed);
    delivered.swap(gate_->delivered);
    gate_->scheduled = false;
  }
  for (const auto& [item, error] : delivered) on_delivered(item, error);
  for (const auto& item : processed) item->ready = true;
  release_ready();
}

void engine::release_ready() {
  release_in_order();
  store_positions();
  commit_transaction(/*now=*/false);
}

void engine::commit_transaction(bool now) {
  if (!txn_ || fatal_ || output_failed_) return;
  if (uncommitted_.empty() && (!now || !sent_since_commit_)) return;
  if (!now && std::chrono::steady_clock::now() < next_transaction_) return;
  sent_since_commit_ = false;
  std::vector<std::pair<topic_partition, offset>> next;
  for (const auto& part : uncommitted_) {
    part->uncommitted = false;
    if (!part->revoked) next.emplace_back(part->tp, *part->released);
  }
  uncommitted_.clear();
  // Everything sent so far is the output of the records released so far: `next` is their end.
  const auto start = std::chrono::steady_clock::now();
  const auto error = txn_->commit(next);
  const auto end = std::chrono::steady_clock::now();
  probe_.on_commit(!error);
  probe_.on_transaction_commit(std::chrono::duration<double>(end - start).count());
  next_transaction_ = end + options_.transaction_interval;
  if (error) fail("transaction commit: " + error->why, error->rebalanced);
  else ++transactions_;
}

void engine::release_in_order() {
  for (;;) {
    // A stop whose drain timed out releases nothing more: the backlog queued for the strand would
    // hold the stop for as long as it takes, and what is not released is consumed again later.
    if (gave_up_waiting_) return;
    partition_state* best = nullptr;
    bool awaits_input = false;  // a partition with nothing consumed may hold the next record
    bool holds_work = false;    // consumed work waits to be released
    bool in_pool = false;       // a partition's next record is still in the pool
    const auto now = std::chrono::steady_clock::now();
    for (auto& [tp, part] : active_) {
      if (part->waiting.empty()) {
        // Its next record may sort first: wait for it, unless the partition is at its end (or, live,
        // has been silent too long).
        if (part->caught_up || draining_) continue;
        if (options_.bounded || now - part->empty_since < options_.max_partition_idle) awaits_input = true;
        continue;
      }
      holds_work = true;
      const auto& front = part->waiting.front();
      if (!front->ready) {
        in_pool = true;
        continue;
      }
      if (!best || merge_key(front->record) < merge_key(best->waiting.front()->record)) best = part.get();
    }
    // Starved: work is held back for a record only polling can bring. The poll thread may be
    // waiting over budget: wake it (under the lock, so that a waiter between its check and its
    // wait cannot miss this).
    const bool starved = awaits_input && holds_work;
    if (starved && !starved_) {
      {
        std::lock_guard lock(mu_);
        starved_ = true;
      }
      progress_.notify_all();
    } else {
      starved_ = starved;
    }
    if (awaits_input || in_pool || !best) return;

    auto item = std::move(best->waiting.front());
    best->waiting.pop_front();
    if (best->waiting.empty()) best->empty_since = now;
    auto outputs = chain_.run_ordered(item->record, std::move(*item->processed), wall_clock_ms());
    item->processed.reset();
    std::size_t output_bytes = 0;
    for (const auto& out : outputs) output_bytes += out.key.size() + out.value.size();
    recharge(*item, output_bytes);
    item->outputs_pending = outputs.size();
    if (txn_) {
      // Exactly once: its outputs go into the open transaction, which commits them together with
      // this position; nothing is visible before, so nothing needs holding back.
      best->released = offset{item->record.off.value + 1};
      if (!best->uncommitted) {
        best->uncommitted = true;
        uncommitted_.push_back(item->part);
      }
      for (auto& out : outputs) send(item, std::move(out));
      if (outputs.empty()) finish(*item);
      continue;
    }
    if (outputs.empty()) {
      finish(*item);
      continue;
    }
    // The story state first: the enriched article and the story update go out only once the
    // article's changelog records are acknowledged, so a story id a consumer has seen is always in
    // the state a restart restores. Sent the other way round, a crash between the two could reopen
    // the story under another id (docs/operations.md, "Delivery guarantee"). In release order:
    // an item waits for the items before it, also one with no changelog records.
    for (auto& out : outputs) {
      if (out.kind == output_kind::changelog) {
        ++item->changelog_pending;
        send(item, std::move(out));
      } else {
        item->held.push_back(std::move(out));
      }
    }
    if (!item->held.empty()) held_.push_back(std::move(item));
    send_held();
  }
}

void engine::send(const std::shared_ptr<work_item>& item, output_record out) {
  sent_since_commit_ = true;
  sink_.send(std::move(out), [this, item, gate = gate_](const std::optional<delivery_error>& error) {
    std::lock_guard lock(gate->mu);
    if (!gate->open) return;
    // A send can fail inside send(), before on_delivered fails the run: from here on no
    // transaction may commit, its input positions would cover the missing output.
    if (error) output_failed_ = true;
    gate->delivered.emplace_back(item, error);
    schedule_completions();
  });
}

void engine::send_held() {
  while (!held_.empty() && held_.front()->changelog_pending == 0) {
    auto item = std::move(held_.front());
    held_.pop_front();
    // A revoked partition's work is dropped: its offsets are not committed, the next owner
    // processes it again.
    if (item->part->revoked) continue;
    for (auto& out : std::exchange(item->held, {})) send(item, std::move(out));
  }
}

void engine::on_delivered(const std::shared_ptr<work_item>& item, const std::optional<delivery_error>& error) {
  if (error && gave_up_waiting_) return;  // never finished, never committed
  if (error) {
    // The sink has retried what it could: never commit past this message (what finished before it
    // in this batch is stored first).
    store_positions();
    fail("delivery failed for " + item->record.tp.topic + "/" + std::to_string(item->record.tp.partition.value) +
         "@" + std::to_string(item->record.off.value) + ": " + error->message);
    return;
  }
  if (item->changelog_pending > 0 && --item->changelog_pending == 0) send_held();
  if (item->finished || item->part->revoked) return;
  if (--item->outputs_pending == 0) finish(*item);
}

void engine::finish(work_item& item) {
  if (item.finished || item.part->revoked) return;
  item.finished = true;
  auto& part = *item.part;
  part.tracker.complete(item.record.off);
  part.in_flight -= 1;
  part.in_flight_bytes -= item.charge;
  in_flight_bytes_ -= item.charge;
  finished_ += 1;
  // A record time ahead of this clock (a producer's clock, CreateTime) is no latency: a negative
  // sample would lower the histogram's sum, which rate() reads as a counter reset.
  if (const std::int64_t latency_ms = wall_clock_ms() - item.record.timestamp_ms;
      item.record.timestamp_ms > 0 && latency_ms >= 0) {
    probe_.on_end_to_end(static_cast<double>(latency_ms) / 1000.0);
  }
  ++unstored_;
  if (!part.dirty) {
    part.dirty = true;
    dirty_.push_back(item.part);
  }
}

void engine::store_positions() {
  if (dirty_.empty() && unstored_ == 0) return;
  for (const auto& part : dirty_) {
    part->dirty = false;
    if (fatal_ || part->revoked) continue;
    const auto position = part->tracker.commit_position();
    if (position && position != part->stored) {
      committer_.store(part->tp, *position);
      part->stored = position;
    }
  }
  dirty_.clear();
  {
    // Only now, with their positions stored, do finished messages stop counting as in flight: a
    // drain that sees none in flight may commit at once. Under the lock: a waiter between its
    // check and its wait cannot miss this.
    std::lock_guard lock(mu_);
    in_flight_messages_ -= unstored_;
    unstored_ = 0;
  }
  progress_.notify_all();
}

void engine::set_draining(bool on) {
  // Not waited for: the strand may be waiting for room in the sink (every broker down), and the
  // drain's deadline must hold all the same.
  asio::post(ordered_, [this, on] {
    draining_ = on;
    if (on) release_ready();
  });
}

void engine::run_ordered_and_wait(std::function<void()> fn) {
  std::promise<void> done;
  auto future = done.get_future();
  asio::post(ordered_, [&] {
    fn();
    done.set_value();
  });
  // A rebalance callback waits here, on the poll thread, where run() cannot end the stop's wait:
  // with the strand held in the sink by an outage (every broker down, the producer's queue full;
  // the outage outlasting the session revokes the partitions as lost), a stop would wait for the
  // outage to end. Once the stop's drain deadline has passed, output gives up here as in run().
  while (future.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
    const std::int64_t stopped = stop_requested_at_;
    if (stopped != 0 && std::chrono::steady_clock::now() >= std::chrono::steady_clock::time_point(
                                                                 std::chrono::steady_clock::duration(stopped)) +
                                                                 options_.drain_timeout) {
      gave_up_waiting_ = true;
      sink_.stop_waiting();
    }
  }
}

void engine::on_assigned(const std::vector<topic_partition>& partitions) {
  std::vector<std::shared_ptr<partition_state>> added;
  for (const auto& tp : partitions) {
    auto part = std::make_shared<partition_state>(tp);
    assigned_[tp] = part;
    added.push_back(std::move(part));
  }
  run_ordered_and_wait([&] {
    for (auto& part : added) active_[part->tp] = part;
  });
  probe_.on_rebalance(rebalance_kind::assigned);
}

void engine::on_revoked(const std::vector<topic_partition>& partitions, bool lost) {
  std::vector<std::shared_ptr<partition_state>> parts;
  for (const auto& tp : partitions) {
    if (auto it = assigned_.find(tp); it != assigned_.end()) parts.push_back(it->second);
  }
  if (!lost && !stop_requested_) {
    // Give in-flight work of these partitions a bounded chance to finish, so its offsets can be
    // committed before another consumer takes over. (On shutdown the drain has already waited.)
    set_draining(true);
    const auto deadline = std::chrono::steady_clock::now() + options_.revoke_drain_timeout;
    wait_for_in_flight(
        [&] { return std::all_of(parts.begin(), parts.end(), [](const auto& p) { return p->in_flight == 0; }); },
        deadline);
  }
  run_ordered_and_wait([&] {
    draining_ = false;
    // Exactly once: what was released of these partitions is committed while this instance still
    // owns them. A lost partition's released output is in the open transaction, and its position
    // can no longer be committed: the transaction must never commit.
    if (txn_ && lost) fail("partitions lost (the group moved on without this member): stopping before the open "
                           "transaction could commit output whose input another member consumes again");
    commit_transaction(/*now=*/true);
    for (auto& part : parts) {
      // Whatever has not finished is dropped: its offset was never stored, so the next owner
      // consumes it again (at-least-once).
      in_flight_messages_ -= part->in_flight.load();
      in_flight_bytes_ -= part->in_flight_bytes.load();
      part->revoked = true;
      part->waiting.clear();
      active_.erase(part->tp);
    }
    release_ready();  // a removed partition may have been what the merge waited for
  });
  progress_.notify_all();
  if (!lost && !fatal_) committer_.commit();
  for (const auto& tp : partitions) {
    assigned_.erase(tp);
    paused_.erase(tp);
  }
  probe_.on_rebalance(lost ? rebalance_kind::lost : rebalance_kind::revoked);
}

void engine::on_partition_end(const topic_partition& tp) {
  // Reported from inside source::poll, before the records of the same poll are admitted: applied
  // after them (apply_partition_ends), or those records would clear it again.
  if (auto it = assigned_.find(tp); it != assigned_.end()) ended_.push_back(it->second);
}

void engine::apply_partition_ends() {
  if (ended_.empty()) return;
  asio::post(ordered_, [this, parts = std::move(ended_)] {
    for (const auto& part : parts) part->caught_up = true;
    release_ready();
  });
  ended_.clear();
}

}  // namespace wirefeed
