#include "services/assistant/redis_ticket_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/redis/lua_script.h"

namespace openencoder::assistant {
namespace {

constexpr char kIndexKey[] = "oe:{tickets}:index";
constexpr char kOutboxKey[] = "oe:{tickets}:outbox";

std::string RequesterKey(const std::string& account_id) {
  return absl::StrCat("oe:{tickets}:by:", account_id);
}

std::string Ms(absl::Time t) { return absl::StrCat(absl::ToUnixMillis(t)); }

// KEYS[1] ticket. ARGV: field, value, field, value...
// Creates the ticket only if absent; returns {created, HGETALL}.
const redis::LuaScript& CreateScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('HGETALL', KEYS[1])}
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return {1, redis.call('HGETALL', KEYS[1])})lua");
  return *s;
}

// KEYS[1] ticket. ARGV[1] allowed statuses ",2,3,", ARGV[2] claimer (a
// CLAIMED ticket must be claimed by them), ARGV[3] new status, ARGV[4] now
// ms, then field/value pairs to set. Returns HGETALL.
const redis::LuaScript& TransitionScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return redis.error_reply('NOT_FOUND no such ticket') end
if not string.find(ARGV[1], ',' .. status .. ',', 1, true) then
  return redis.error_reply('FAILED_PRECONDITION ticket is not in a state that allows this')
end
if status == '3' and redis.call('HGET', KEYS[1], 'claimed_by') ~= ARGV[2] then
  return redis.error_reply('FAILED_PRECONDITION ticket is claimed by another consultant')
end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'updated_ms', ARGV[4])
if #ARGV > 4 then redis.call('HSET', KEYS[1], unpack(ARGV, 5)) end
return redis.call('HGETALL', KEYS[1]))lua");
  return *s;
}

// KEYS[1] ticket. ARGV[1] now ms, ARGV[2] lease until ms.
const redis::LuaScript& BeginSendScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return redis.error_reply('NOT_FOUND no such ticket') end
if status ~= '4' then
  return redis.error_reply('FAILED_PRECONDITION ticket is not waiting to be sent')
end
local lease = tonumber(redis.call('HGET', KEYS[1], 'lease_ms') or '0')
if lease > tonumber(ARGV[1]) then
  return redis.error_reply('FAILED_PRECONDITION another sender holds the ticket')
end
redis.call('HSET', KEYS[1], 'lease_ms', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'send_attempts', 1)
return redis.call('HGETALL', KEYS[1]))lua");
  return *s;
}

// KEYS[1] ticket. ARGV[1] the deleted consultant. A CLAIMED ticket goes
// back to the queue; any other keeps its status. 1 when changed.
const redis::LuaScript& ReleaseScript() {
  static const redis::LuaScript* s = new redis::LuaScript(R"lua(
if redis.call('HGET', KEYS[1], 'claimed_by') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'status') == '3' then
  redis.call('HSET', KEYS[1], 'status', '2')
end
redis.call('HSET', KEYS[1], 'claimed_by', '')
return 1)lua");
  return *s;
}

google::protobuf::Timestamp FromMs(int64_t ms) {
  google::protobuf::Timestamp t;
  t.set_seconds(ms / 1000);
  t.set_nanos(static_cast<int32_t>((ms % 1000) * 1000000));
  return t;
}

v1::Ticket FromHash(const redis::RedisReply& reply) {
  v1::Ticket t;
  const auto& e = reply.elements();
  for (size_t i = 0; i + 1 < e.size(); i += 2) {
    const std::string& k = e[i].str();
    const std::string& v = e[i + 1].str();
    int64_t n = 0;
    if (k == "id")
      t.set_ticket_id(v);
    else if (k == "status" && absl::SimpleAtoi(v, &n))
      t.set_status(static_cast<v1::TicketStatus>(n));
    else if (k == "from")
      t.set_from_address(v);
    else if (k == "subject")
      t.set_subject(v);
    else if (k == "question")
      t.set_question(v);
    else if (k == "answer")
      t.set_answer(v);
    else if (k == "message_id")
      t.set_message_id(v);
    else if (k == "in_reply_to")
      t.set_in_reply_to(v);
    else if (k == "claimed_by")
      t.set_claimed_by(v);
    else if (k == "received_ms" && absl::SimpleAtoi(v, &n))
      *t.mutable_received_at() = FromMs(n);
    else if (k == "updated_ms" && absl::SimpleAtoi(v, &n))
      *t.mutable_updated_at() = FromMs(n);
    else if (k == "send_attempts" && absl::SimpleAtoi(v, &n))
      t.set_send_attempts(static_cast<int32_t>(n));
    else if (k == "last_error")
      t.set_last_send_error(v);
    else if (k == "by_assistant")
      t.set_answered_by_assistant(v == "1");
    else if (k == "requester")
      t.set_requester_account_id(v);
    else if (k == "code")
      t.set_code(v);
  }
  return t;
}

}  // namespace

std::string RedisTicketStore::TicketKey(const std::string& ticket_id) {
  return absl::StrCat("oe:{t:", ticket_id, "}:ticket");
}

absl::StatusOr<CreateResult> RedisTicketStore::Create(const NewTicket& ticket, absl::Time now) {
  const v1::SubmitEmailRequest& email = ticket.email;
  const std::string id = TicketIdFor(email.message_id());
  const std::string key = TicketKey(id);
  const std::string status = absl::StrCat(static_cast<int>(v1::TICKET_STATUS_RECEIVED));
  const std::string now_ms = Ms(now);
  std::vector<absl::string_view> args = {"id",
                                         id,
                                         "status",
                                         status,
                                         "from",
                                         email.from_address(),
                                         "to",
                                         email.to_address(),
                                         "subject",
                                         email.subject(),
                                         "question",
                                         email.text(),
                                         "message_id",
                                         email.message_id(),
                                         "in_reply_to",
                                         email.in_reply_to(),
                                         "received_ms",
                                         now_ms,
                                         "updated_ms",
                                         now_ms,
                                         "send_attempts",
                                         "0",
                                         "lease_ms",
                                         "0"};
  if (!ticket.requester_account_id.empty()) {
    args.insert(args.end(), {"requester", ticket.requester_account_id, "code", ticket.code});
  }
  absl::StatusOr<redis::RedisReply> reply = redis_->Eval(CreateScript(), {key}, args, Deadline());
  if (!reply.ok()) return reply.status();
  CreateResult result;
  result.created = reply->elements().at(0).integer() == 1;
  result.ticket = FromHash(reply->elements().at(1));
  if (result.created) {
    // The index only lists; a lost ZADD here is repaired by the next repost.
    absl::StatusOr<redis::RedisReply> added =
        redis_->Command({"ZADD", kIndexKey, "NX", now_ms, id}, Deadline());
    if (!added.ok()) return added.status();
    if (!ticket.requester_account_id.empty()) {
      added = redis_->Command({"ZADD", RequesterKey(ticket.requester_account_id), "NX", now_ms, id},
                              Deadline());
      if (!added.ok()) return added.status();
    }
  }
  return result;
}

absl::StatusOr<v1::Ticket> RedisTicketStore::Get(const std::string& ticket_id) {
  absl::StatusOr<redis::RedisReply> reply =
      redis_->Command({"HGETALL", TicketKey(ticket_id)}, Deadline());
  if (!reply.ok()) return reply.status();
  if (reply->elements().empty()) return absl::NotFoundError("no such ticket");
  return FromHash(*reply);
}

absl::StatusOr<TicketPage> RedisTicketStore::List(v1::TicketStatus status, int page_size,
                                                  const std::string& page_token) {
  int64_t offset = 0;
  if (!page_token.empty() && (!absl::SimpleAtoi(page_token, &offset) || offset < 0)) {
    return absl::InvalidArgumentError("bad page token");
  }
  if (page_size <= 0 || page_size > 100) page_size = 50;
  TicketPage page;
  constexpr int kBatch = 100;
  // The index holds every ticket; filtering by status walks it in batches.
  while (static_cast<int>(page.tickets.size()) < page_size) {
    absl::StatusOr<redis::RedisReply> ids = redis_->Command(
        {"ZRANGE", kIndexKey, absl::StrCat(offset), absl::StrCat(offset + kBatch - 1)}, Deadline());
    if (!ids.ok()) return ids.status();
    if (ids->elements().empty()) return page;
    for (const redis::RedisReply& id : ids->elements()) {
      ++offset;
      absl::StatusOr<v1::Ticket> t = Get(id.str());
      if (!t.ok()) {
        if (absl::IsNotFound(t.status())) continue;
        return t.status();
      }
      if (t->status() == status) page.tickets.push_back(*std::move(t));
      if (static_cast<int>(page.tickets.size()) == page_size) break;
    }
  }
  page.next_page_token = absl::StrCat(offset);
  return page;
}

absl::StatusOr<TicketPage> RedisTicketStore::ListByRequester(const std::string& account_id,
                                                             int page_size,
                                                             const std::string& page_token) {
  int64_t offset = 0;
  if (!page_token.empty() && (!absl::SimpleAtoi(page_token, &offset) || offset < 0)) {
    return absl::InvalidArgumentError("bad page token");
  }
  if (page_size <= 0 || page_size > 100) page_size = 50;
  // ZRANGE ... REV (Redis 6.2+), not ZREVRANGE: the assistant's Redis user
  // is allowed ZRANGE already (deploy/redis/acl-users on main).
  absl::StatusOr<redis::RedisReply> ids =
      redis_->Command({"ZRANGE", RequesterKey(account_id), absl::StrCat(offset),
                       absl::StrCat(offset + page_size), "REV"},
                      Deadline());
  if (!ids.ok()) return ids.status();
  TicketPage page;
  for (const redis::RedisReply& id : ids->elements()) {
    if (static_cast<int>(page.tickets.size()) == page_size) {
      // One more than a page was read: there is a next page.
      page.next_page_token = absl::StrCat(offset + page_size);
      break;
    }
    absl::StatusOr<v1::Ticket> t = Get(id.str());
    if (!t.ok()) {
      if (absl::IsNotFound(t.status())) continue;
      return t.status();
    }
    page.tickets.push_back(*std::move(t));
  }
  return page;
}

absl::StatusOr<v1::Ticket> RedisTicketStore::Transition(
    const std::string& ticket_id, const std::string& allowed, const std::string& claimer,
    v1::TicketStatus to, absl::Time now, std::vector<std::pair<std::string, std::string>> fields) {
  std::vector<std::string> owned = {allowed, claimer, absl::StrCat(static_cast<int>(to)), Ms(now)};
  for (auto& [k, v] : fields) {
    owned.push_back(k);
    owned.push_back(v);
  }
  std::vector<absl::string_view> args(owned.begin(), owned.end());
  const std::string key = TicketKey(ticket_id);
  absl::StatusOr<redis::RedisReply> reply =
      redis_->Eval(TransitionScript(), {key}, args, Deadline());
  if (!reply.ok()) return reply.status();
  return FromHash(*reply);
}

absl::StatusOr<v1::Ticket> RedisTicketStore::MarkWaiting(const std::string& ticket_id,
                                                         absl::Time now) {
  return Transition(ticket_id, ",1,", "", v1::TICKET_STATUS_WAITING, now, {});
}

absl::StatusOr<v1::Ticket> RedisTicketStore::Claim(const std::string& ticket_id,
                                                   const std::string& consultant, absl::Time now) {
  return Transition(ticket_id, ",2,3,", consultant, v1::TICKET_STATUS_CLAIMED, now,
                    {{"claimed_by", consultant}});
}

absl::StatusOr<v1::Ticket> RedisTicketStore::Answer(const std::string& ticket_id,
                                                    const std::string& answer,
                                                    const std::string& consultant, absl::Time now) {
  // Outbox first: see the header for why this order loses nothing.
  absl::StatusOr<redis::RedisReply> queued =
      redis_->Command({"ZADD", kOutboxKey, "NX", Ms(now), ticket_id}, Deadline());
  if (!queued.ok()) return queued.status();
  const bool by_assistant = consultant.empty();
  return Transition(ticket_id, by_assistant ? ",1," : ",3,", consultant, v1::TICKET_STATUS_ANSWERED,
                    now, {{"answer", answer}, {"by_assistant", by_assistant ? "1" : "0"}});
}

absl::StatusOr<std::vector<std::string>> RedisTicketStore::DueForSending(absl::Time now,
                                                                         int limit) {
  absl::StatusOr<redis::RedisReply> reply = redis_->Command(
      {"ZRANGEBYSCORE", kOutboxKey, "-inf", Ms(now), "LIMIT", "0", absl::StrCat(limit)},
      Deadline());
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  for (const redis::RedisReply& e : reply->elements()) ids.push_back(e.str());
  return ids;
}

absl::StatusOr<int64_t> RedisTicketStore::OutboxLength() {
  absl::StatusOr<redis::RedisReply> reply = redis_->Command({"ZCARD", kOutboxKey}, Deadline());
  if (!reply.ok()) return reply.status();
  return reply->integer();
}

absl::StatusOr<v1::Ticket> RedisTicketStore::BeginSend(const std::string& ticket_id, absl::Time now,
                                                       absl::Time lease_until) {
  const std::string key = TicketKey(ticket_id);
  const std::string now_ms = Ms(now);
  const std::string lease_ms = Ms(lease_until);
  absl::StatusOr<redis::RedisReply> reply =
      redis_->Eval(BeginSendScript(), {key}, {now_ms, lease_ms}, Deadline());
  if (!reply.ok()) return reply.status();
  return FromHash(*reply);
}

absl::Status RedisTicketStore::MarkSent(const std::string& ticket_id, absl::Time now) {
  absl::StatusOr<v1::Ticket> t = Transition(ticket_id, ",4,5,", "", v1::TICKET_STATUS_SENT, now,
                                            {{"lease_ms", "0"}, {"last_error", ""}});
  if (!t.ok()) return t.status();
  return DropFromOutbox(ticket_id);
}

absl::Status RedisTicketStore::SendFailed(const std::string& ticket_id, const std::string& error,
                                          absl::Time retry_at) {
  absl::StatusOr<redis::RedisReply> r = redis_->Command(
      {"HSET", TicketKey(ticket_id), "last_error", error, "lease_ms", "0"}, Deadline());
  if (!r.ok()) return r.status();
  r = redis_->Command({"ZADD", kOutboxKey, "XX", Ms(retry_at), ticket_id}, Deadline());
  return r.status();
}

absl::Status RedisTicketStore::DropFromOutbox(const std::string& ticket_id) {
  return redis_->Command({"ZREM", kOutboxKey, ticket_id}, Deadline()).status();
}

absl::Status RedisTicketStore::WalkIndexField(
    const std::string& field,
    const std::function<void(const std::string&, absl::string_view)>& fn) {
  constexpr int kBatch = 200;
  for (int64_t offset = 0;; offset += kBatch) {
    absl::StatusOr<redis::RedisReply> batch = redis_->Command(
        {"ZRANGE", kIndexKey, absl::StrCat(offset), absl::StrCat(offset + kBatch - 1)}, Deadline());
    if (!batch.ok()) return batch.status();
    if (batch->elements().empty()) return absl::OkStatus();
    std::vector<redis::RedisCommand> reads;
    for (const redis::RedisReply& id : batch->elements()) {
      reads.push_back({"HGET", TicketKey(id.str()), field});
    }
    absl::StatusOr<std::vector<redis::RedisReply>> values = redis_->Pipeline(reads, Deadline());
    if (!values.ok()) return values.status();
    for (size_t i = 0; i < values->size(); ++i) {
      const redis::RedisReply& value = (*values)[i];
      if (!value.is_nil() && !value.is_error()) fn(batch->elements()[i].str(), value.str());
    }
  }
}

absl::StatusOr<int> RedisTicketStore::ReleaseConsultant(const std::string& account_id) {
  if (account_id.empty()) return 0;
  std::vector<std::string> claimed;
  absl::Status walked =
      WalkIndexField("claimed_by", [&](const std::string& id, absl::string_view by) {
        if (by == account_id) claimed.push_back(id);
      });
  if (!walked.ok()) return walked;
  int released = 0;
  for (const std::string& id : claimed) {
    absl::StatusOr<redis::RedisReply> r =
        redis_->Eval(ReleaseScript(), {TicketKey(id)}, {account_id}, Deadline());
    if (!r.ok()) return r.status();
    released += static_cast<int>(r->integer());
  }
  return released;
}

absl::StatusOr<int> RedisTicketStore::EraseRequester(const std::string& account_id,
                                                     const std::string& email) {
  absl::flat_hash_set<std::string> ids;
  absl::StatusOr<redis::RedisReply> mine =
      redis_->Command({"ZRANGE", RequesterKey(account_id), "0", "-1"}, Deadline());
  if (!mine.ok()) return mine.status();
  for (const redis::RedisReply& id : mine->elements()) ids.insert(id.str());
  if (!email.empty()) {
    // Mailed tickets are indexed only by time: walk the index and read each
    // sender (an erasure is rare; the work is a pipelined HGET per ticket).
    absl::Status walked =
        WalkIndexField("from", [&](const std::string& id, absl::string_view from) {
          if (SameAddress(from, email)) ids.insert(id);
        });
    if (!walked.ok()) return walked;
  }
  int erased = 0;
  for (const std::string& id : ids) {
    // The ticket first, then the lists that name it: a crash in between
    // leaves ids that list nothing (readers skip them) and the repeat
    // removes them.
    absl::StatusOr<redis::RedisReply> del = redis_->Command({"DEL", TicketKey(id)}, Deadline());
    if (!del.ok()) return del.status();
    erased += static_cast<int>(del->integer());
    const redis::RedisCommand unlist[] = {{"ZREM", kIndexKey, id}, {"ZREM", kOutboxKey, id}};
    absl::StatusOr<std::vector<redis::RedisReply>> removed = redis_->Pipeline(unlist, Deadline());
    if (!removed.ok()) return removed.status();
  }
  absl::StatusOr<redis::RedisReply> del =
      redis_->Command({"DEL", RequesterKey(account_id)}, Deadline());
  if (!del.ok()) return del.status();
  return erased;
}

}  // namespace openencoder::assistant
