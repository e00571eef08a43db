// In-memory fakes of what the assistant's ticket flow (CaseConsultant,
// OutboxWorker) talks to, for unit tests that run in milliseconds:
//   * FakeTicketStore   - services/assistant/ticket_store.h, same contract
//                         as RedisTicketStore (the store contract test runs
//                         one scenario on both);
//   * FakeAccountTools  - QuotaTools: sessions and accounts set up by the test;
//   * FlakyMailSender   - a MailSender that fails its first N sends, then
//                         remembers every mail.
// The real-Redis and real-SMTP tests (oe_assistant_e2e_test, the gateway's
// consult integration test) stay; these only make the logic fast to test.
// Thread-safe, like the real ones.
#ifndef OPENENCODER_TESTS_ASSISTANT_SUPPORT_FAKES_H_
#define OPENENCODER_TESTS_ASSISTANT_SUPPORT_FAKES_H_

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/assistant/ticket_store.h"
#include "services/assistant/tools.h"
#include "services/common/mail/mail_sender.h"

namespace openencoder::assistant::testing {

class FakeTicketStore final : public TicketStore {
 public:
  absl::StatusOr<CreateResult> Create(const NewTicket& ticket, absl::Time now) override {
    absl::MutexLock lock(&mu_);
    const std::string id = TicketIdFor(ticket.email.message_id());
    CreateResult result;
    if (auto it = tickets_.find(id); it != tickets_.end()) {
      result.ticket = it->second.ticket;
      return result;
    }
    Entry& e = tickets_[id];
    v1::Ticket& t = e.ticket;
    t.set_ticket_id(id);
    t.set_status(v1::TICKET_STATUS_RECEIVED);
    t.set_from_address(ticket.email.from_address());
    t.set_subject(ticket.email.subject());
    t.set_question(ticket.email.text());
    t.set_message_id(ticket.email.message_id());
    t.set_in_reply_to(ticket.email.in_reply_to());
    t.set_requester_account_id(ticket.requester_account_id);
    t.set_code(ticket.code);
    Stamp(&t, now, /*received=*/true);
    e.order = next_order_++;
    result.ticket = t;
    result.created = true;
    return result;
  }

  absl::StatusOr<v1::Ticket> Get(const std::string& ticket_id) override {
    absl::MutexLock lock(&mu_);
    auto it = tickets_.find(ticket_id);
    if (it == tickets_.end()) return absl::NotFoundError("no such ticket");
    return it->second.ticket;
  }

  absl::StatusOr<TicketPage> List(v1::TicketStatus status, int page_size,
                                  const std::string& page_token) override {
    return Page(page_size, page_token, /*newest_first=*/false,
                [status](const v1::Ticket& t) { return t.status() == status; });
  }

  absl::StatusOr<TicketPage> ListByRequester(const std::string& account_id, int page_size,
                                             const std::string& page_token) override {
    return Page(page_size, page_token, /*newest_first=*/true, [account_id](const v1::Ticket& t) {
      return !account_id.empty() && t.requester_account_id() == account_id;
    });
  }

  absl::StatusOr<v1::Ticket> MarkWaiting(const std::string& ticket_id, absl::Time now) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<v1::Ticket*> t =
        Transition(ticket_id, {v1::TICKET_STATUS_RECEIVED}, "", v1::TICKET_STATUS_WAITING, now);
    if (!t.ok()) return t.status();
    return **t;
  }

  absl::StatusOr<v1::Ticket> Claim(const std::string& ticket_id, const std::string& consultant,
                                   absl::Time now) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<v1::Ticket*> t =
        Transition(ticket_id, {v1::TICKET_STATUS_WAITING, v1::TICKET_STATUS_CLAIMED}, consultant,
                   v1::TICKET_STATUS_CLAIMED, now);
    if (!t.ok()) return t.status();
    (*t)->set_claimed_by(consultant);
    return **t;
  }

  absl::StatusOr<v1::Ticket> Answer(const std::string& ticket_id, const std::string& answer,
                                    const std::string& consultant, absl::Time now) override {
    absl::MutexLock lock(&mu_);
    if (!tickets_.contains(ticket_id)) return absl::NotFoundError("no such ticket");
    // Outbox first, as the Redis store does (a later refusal leaves an
    // entry that the sender drops).
    outbox_.emplace(ticket_id, now);
    const bool by_assistant = consultant.empty();
    absl::StatusOr<v1::Ticket*> t = Transition(
        ticket_id, {by_assistant ? v1::TICKET_STATUS_RECEIVED : v1::TICKET_STATUS_CLAIMED},
        consultant, v1::TICKET_STATUS_ANSWERED, now);
    if (!t.ok()) return t.status();
    (*t)->set_answer(answer);
    (*t)->set_answered_by_assistant(by_assistant);
    return **t;
  }

  absl::StatusOr<std::vector<std::string>> DueForSending(absl::Time now, int limit) override {
    absl::MutexLock lock(&mu_);
    std::vector<std::pair<absl::Time, std::string>> due;
    for (const auto& [id, at] : outbox_) {
      if (at <= now) due.emplace_back(at, id);
    }
    std::sort(due.begin(), due.end());
    std::vector<std::string> ids;
    for (const auto& [at, id] : due) {
      if (static_cast<int>(ids.size()) == limit) break;
      ids.push_back(id);
    }
    return ids;
  }

  absl::StatusOr<v1::Ticket> BeginSend(const std::string& ticket_id, absl::Time now,
                                       absl::Time lease_until) override {
    absl::MutexLock lock(&mu_);
    auto it = tickets_.find(ticket_id);
    if (it == tickets_.end()) return absl::NotFoundError("no such ticket");
    Entry& e = it->second;
    if (e.ticket.status() != v1::TICKET_STATUS_ANSWERED) {
      return absl::FailedPreconditionError("ticket is not waiting to be sent");
    }
    if (e.lease_until > now) {
      return absl::FailedPreconditionError("another sender holds the ticket");
    }
    e.lease_until = lease_until;
    e.ticket.set_send_attempts(e.ticket.send_attempts() + 1);
    return e.ticket;
  }

  absl::Status MarkSent(const std::string& ticket_id, absl::Time now) override {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<v1::Ticket*> t =
        Transition(ticket_id, {v1::TICKET_STATUS_ANSWERED, v1::TICKET_STATUS_SENT}, "",
                   v1::TICKET_STATUS_SENT, now);
    if (!t.ok()) return t.status();
    (*t)->clear_last_send_error();
    tickets_[ticket_id].lease_until = absl::InfinitePast();
    outbox_.erase(ticket_id);
    return absl::OkStatus();
  }

  absl::Status SendFailed(const std::string& ticket_id, const std::string& error,
                          absl::Time retry_at) override {
    absl::MutexLock lock(&mu_);
    auto it = tickets_.find(ticket_id);
    if (it == tickets_.end())
      return absl::OkStatus();  // Redis HSET would make a stub; nothing reads it
    it->second.ticket.set_last_send_error(error);
    it->second.lease_until = absl::InfinitePast();
    if (auto o = outbox_.find(ticket_id); o != outbox_.end()) o->second = retry_at;
    return absl::OkStatus();
  }

  absl::Status DropFromOutbox(const std::string& ticket_id) override {
    absl::MutexLock lock(&mu_);
    outbox_.erase(ticket_id);
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> OutboxLength() override {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(outbox_.size());
  }

  absl::StatusOr<int> EraseRequester(const std::string& account_id,
                                     const std::string& email) override {
    absl::MutexLock lock(&mu_);
    int erased = 0;
    for (auto it = tickets_.begin(); it != tickets_.end();) {
      const v1::Ticket& t = it->second.ticket;
      if ((!account_id.empty() && t.requester_account_id() == account_id) ||
          SameAddress(t.from_address(), email)) {
        outbox_.erase(it->first);
        it = tickets_.erase(it);
        ++erased;
      } else {
        ++it;
      }
    }
    return erased;
  }

  absl::StatusOr<int> ReleaseConsultant(const std::string& account_id) override {
    absl::MutexLock lock(&mu_);
    int released = 0;
    for (auto& [id, e] : tickets_) {
      if (account_id.empty() || e.ticket.claimed_by() != account_id) continue;
      if (e.ticket.status() == v1::TICKET_STATUS_CLAIMED) {
        e.ticket.set_status(v1::TICKET_STATUS_WAITING);
      }
      e.ticket.clear_claimed_by();
      ++released;
    }
    return released;
  }

  // Test hook: how many tickets exist.
  size_t size() {
    absl::MutexLock lock(&mu_);
    return tickets_.size();
  }

 private:
  struct Entry {
    v1::Ticket ticket;
    int64_t order = 0;  // creation order (the Redis index scores by time)
    absl::Time lease_until = absl::InfinitePast();
  };

  static void Stamp(v1::Ticket* t, absl::Time now, bool received) {
    const int64_t ms = absl::ToUnixMillis(now);
    google::protobuf::Timestamp ts;
    ts.set_seconds(ms / 1000);
    ts.set_nanos(static_cast<int32_t>((ms % 1000) * 1000000));
    if (received) *t->mutable_received_at() = ts;
    *t->mutable_updated_at() = ts;
  }

  absl::StatusOr<v1::Ticket*> Transition(const std::string& ticket_id,
                                         std::set<v1::TicketStatus> allowed,
                                         const std::string& claimer, v1::TicketStatus to,
                                         absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = tickets_.find(ticket_id);
    if (it == tickets_.end()) return absl::NotFoundError("no such ticket");
    v1::Ticket& t = it->second.ticket;
    if (!allowed.contains(t.status())) {
      return absl::FailedPreconditionError("ticket is not in a state that allows this");
    }
    if (t.status() == v1::TICKET_STATUS_CLAIMED && t.claimed_by() != claimer) {
      return absl::FailedPreconditionError("ticket is claimed by another consultant");
    }
    t.set_status(to);
    Stamp(&t, now, /*received=*/false);
    return &t;
  }

  template <class Match>
  absl::StatusOr<TicketPage> Page(int page_size, const std::string& page_token, bool newest_first,
                                  Match match) {
    int64_t offset = 0;
    if (!page_token.empty() && (!absl::SimpleAtoi(page_token, &offset) || offset < 0)) {
      return absl::InvalidArgumentError("bad page token");
    }
    if (page_size <= 0 || page_size > 100) page_size = 50;
    absl::MutexLock lock(&mu_);
    std::vector<const Entry*> all;
    for (const auto& [id, e] : tickets_) all.push_back(&e);
    std::sort(all.begin(), all.end(), [newest_first](const Entry* a, const Entry* b) {
      return newest_first ? a->order > b->order : a->order < b->order;
    });
    std::vector<const Entry*> matching;
    for (const Entry* e : all) {
      if (match(e->ticket)) matching.push_back(e);
    }
    TicketPage page;
    for (int64_t i = offset; i < static_cast<int64_t>(matching.size()); ++i) {
      if (static_cast<int>(page.tickets.size()) == page_size) {
        page.next_page_token = absl::StrCat(i);
        break;
      }
      page.tickets.push_back(matching[i]->ticket);
    }
    return page;
  }

  absl::Mutex mu_;
  std::map<std::string, Entry> tickets_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Time> outbox_ ABSL_GUARDED_BY(mu_);
  int64_t next_order_ ABSL_GUARDED_BY(mu_) = 0;
};

// Sessions and accounts as the account service would answer for them.
class FakeAccountTools final : public QuotaTools {
 public:
  // A member's session. ROLE_CONSULTANT in `roles` makes a consultant.
  void AddMember(const std::string& token, const std::string& account_id, const std::string& email,
                 bool verified = true,
                 std::vector<account::v1::Role> roles = {account::v1::ROLE_CODER}) {
    absl::MutexLock lock(&mu_);
    Session& s = sessions_[token];
    s.validated.set_account_id(account_id);
    s.validated.set_session_id(absl::StrCat("s-", token));
    s.validated.set_plan(account::v1::PLAN_FREE);
    s.account.set_account_id(account_id);
    s.account.set_email(email);
    s.account.set_email_verified(verified);
    for (account::v1::Role r : roles) {
      s.validated.add_roles(r);
      s.account.add_roles(r);
    }
  }
  void AddGuest(const std::string& token) {
    absl::MutexLock lock(&mu_);
    Session& s = sessions_[token];
    s.validated.set_guest(true);
    s.validated.set_plan(account::v1::PLAN_GUEST);
    s.guest = true;
  }

  absl::StatusOr<account::v1::ValidateSessionResponse> ValidateSession(
      absl::string_view session_token, absl::string_view) override {
    absl::MutexLock lock(&mu_);
    auto it = sessions_.find(std::string(session_token));
    if (it == sessions_.end()) return absl::UnauthenticatedError("unknown session");
    return it->second.validated;
  }
  absl::StatusOr<account::v1::CheckRateResponse> CheckRate(absl::string_view, absl::string_view,
                                                           absl::string_view,
                                                           absl::string_view) override {
    account::v1::CheckRateResponse r;
    r.set_allowed(true);
    return r;
  }
  absl::StatusOr<account::v1::Quota> GetQuota(absl::string_view, absl::string_view) override {
    return absl::UnimplementedError("the ticket flow reads no quota");
  }
  absl::StatusOr<account::v1::Account> GetAccount(absl::string_view session_token,
                                                  absl::string_view) override {
    absl::MutexLock lock(&mu_);
    auto it = sessions_.find(std::string(session_token));
    if (it == sessions_.end() || it->second.guest) {
      return absl::UnauthenticatedError("sign in first");
    }
    return it->second.account;
  }

 private:
  struct Session {
    account::v1::ValidateSessionResponse validated;
    account::v1::Account account;
    bool guest = false;
  };
  absl::Mutex mu_;
  std::map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);
};

// Fails the first `failures` sends with UNAVAILABLE, then delivers (keeps)
// every mail.
class FlakyMailSender final : public common::mail::MailSender {
 public:
  explicit FlakyMailSender(int failures = 0) : failures_(failures) {}
  absl::Status Send(const common::mail::OutgoingMail& mail) override {
    absl::MutexLock lock(&mu_);
    ++attempts_;
    if (failures_ > 0) {
      --failures_;
      return absl::UnavailableError("relay refused the connection");
    }
    mails_.push_back(mail);
    return absl::OkStatus();
  }
  std::vector<common::mail::OutgoingMail> mails() {
    absl::MutexLock lock(&mu_);
    return mails_;
  }
  int attempts() {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  absl::Mutex mu_;
  int failures_ ABSL_GUARDED_BY(mu_);
  int attempts_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<common::mail::OutgoingMail> mails_ ABSL_GUARDED_BY(mu_);
};

}  // namespace openencoder::assistant::testing

#endif  // OPENENCODER_TESTS_ASSISTANT_SUPPORT_FAKES_H_
