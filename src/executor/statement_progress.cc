#include "executor/statement_progress.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace retort::executor {

namespace {

// One row for the backend: its create-index or cluster progress (at most one of them runs) and
// the lock it waits for, if any. Columns as DescribeProgress reads them.
constexpr const char* kProgressQuery =
    "SELECT coalesce(i.command, c.command), coalesce(i.phase, c.phase),\n"
    "       coalesce(i.blocks_done, c.heap_blks_scanned), coalesce(i.blocks_total, "
    "c.heap_blks_total),\n"
    "       coalesce(i.tuples_done, c.heap_tuples_written), i.tuples_total,\n"
    "       i.lockers_done, i.lockers_total, i.partitions_done, i.partitions_total,\n"
    "       CASE WHEN a.wait_event_type = 'Lock' THEN a.wait_event END\n"
    "  FROM pg_stat_activity a\n"
    "  LEFT JOIN pg_stat_progress_create_index i ON i.pid = a.pid\n"
    "  LEFT JOIN pg_stat_progress_cluster c ON c.pid = a.pid\n"
    " WHERE a.pid = $1";

long long Number(const std::optional<std::string>& cell) {
  if (!cell || cell->empty()) return -1;
  return std::stoll(*cell);
}

// ", blocks 120/4000 (3%)" (the share for `percent` counts); ", tuples 1200" without a total;
// "" when there is nothing yet.
std::string Count(const char* what, const std::optional<std::string>& done,
                  const std::optional<std::string>& total, bool percent = false) {
  long long so_far = Number(done);
  long long all = Number(total);
  if (all > 0) {
    std::string text = std::string(", ") + what + " " + std::to_string(std::max(so_far, 0LL)) +
                       "/" + std::to_string(all);
    if (percent && so_far >= 0) text += " (" + std::to_string(so_far * 100 / all) + "%)";
    return text;
  }
  if (so_far > 0) return std::string(", ") + what + " " + std::to_string(so_far);
  return "";
}

}  // namespace

std::string DescribeProgress(const std::vector<std::optional<std::string>>& row) {
  if (row.size() < 11) return "";
  auto cell = [&](size_t column) { return row[column].value_or(""); };
  std::string text;
  if (!cell(0).empty()) {
    text = cell(0) + ": " + cell(1) + Count("blocks", row[2], row[3], true) +
           Count("tuples", row[4], row[5], true) + Count("lockers", row[6], row[7]) +
           Count("partitions", row[8], row[9]);
  }
  if (!cell(10).empty()) {
    text += (text.empty() ? "" : ", ") + std::string("waiting for a lock (") + cell(10) + ")";
  }
  return text;
}

StatementProgress::StatementProgress(const pg::Connection& session, LiveLine& line, Display display)
    : settings_(session.SettingsForAnother()),
      backend_pid_(session.BackendPid()),
      line_(line),
      display_(display) {}

StatementProgress::~StatementProgress() = default;

std::unique_ptr<StatementProgress::Watch> StatementProgress::Start(std::string label) {
  return std::unique_ptr<Watch>(new Watch(*this, std::move(label)));
}

StatementProgress::Watch::Watch(StatementProgress& owner, std::string label)
    : owner_(owner), label_(std::move(label)), poller_([this] { Poll(); }) {}

StatementProgress::Watch::~Watch() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
  }
  stopped_changed_.notify_all();
  poller_.join();
}

void StatementProgress::Watch::Poll() {
  // True once the statement has ended; waits at most `duration` for that.
  auto ended_within = [this](std::chrono::milliseconds duration) {
    std::unique_lock<std::mutex> lock(mutex_);
    return stopped_changed_.wait_for(lock, duration, [this] { return stopped_; });
  };
  if (ended_within(owner_.display_.delay)) return;
  std::optional<pg::Connection>& session = owner_.poller_session_;
  if (!session) {
    if (!owner_.settings_.ok()) return;
    auto opened = pg::Connection::Open(*owner_.settings_);
    if (!opened.ok()) return;  // progress is a courtesy: the statement runs on without it
    session.emplace(std::move(*opened));
  }
  bool shown = false;
  do {
    auto outcome = session->ExecuteParams(kProgressQuery, {std::to_string(owner_.backend_pid_)});
    if (!outcome.ok()) {
      session.reset();
      break;
    }
    std::vector<std::optional<std::string>> row;
    if (outcome.value->rows() == 1) {
      for (int column = 0; column < outcome.value->columns(); ++column) {
        row.push_back(outcome.value->GetOptional(0, column));
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.1f s", seconds);
    std::string progress = DescribeProgress(row);
    std::string line = label_ + ": " + elapsed + (progress.empty() ? "" : ", " + progress);
    owner_.line_.Show(ClipUtf8(line, owner_.display_.width));
    shown = true;
  } while (!ended_within(owner_.display_.interval));
  if (shown) owner_.line_.Erase();
}

}  // namespace retort::executor
