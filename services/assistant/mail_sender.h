// The assistant sends its replies with the shared SMTP sender
// (services/common/mail/mail_sender.h); these names keep the assistant's
// code and tests reading as before.
#ifndef OPENENCODER_SERVICES_ASSISTANT_MAIL_SENDER_H_
#define OPENENCODER_SERVICES_ASSISTANT_MAIL_SENDER_H_

#include "services/common/mail/mail_sender.h"

namespace openencoder::assistant {

using common::mail::CurlSmtpSender;
using common::mail::MailSender;
using common::mail::OutgoingMail;
using common::mail::RenderMail;

}  // namespace openencoder::assistant

#endif  // OPENENCODER_SERVICES_ASSISTANT_MAIL_SENDER_H_
