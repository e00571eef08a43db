#include "bench/loadgen/method_resolver.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "bench/loadgen/builtin_protos.h"

namespace openencoder::loadgen {
namespace {

// Collects text-format parse errors so they can travel in a Status instead
// of being logged.
class CollectingErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(absl::StrCat(line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {}

  std::string Joined() const { return absl::StrJoin(errors_, "; "); }

 private:
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<MethodName> ParseMethodName(absl::string_view full_name) {
  absl::string_view name = absl::StripPrefix(full_name, "/");
  size_t split = name.rfind('/');
  if (split == absl::string_view::npos) split = name.rfind('.');
  if (split == absl::string_view::npos || split == 0 || split + 1 == name.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("method name '", full_name, "' is not of the form package.Service/Method"));
  }
  return MethodName{std::string(name.substr(0, split)), std::string(name.substr(split + 1))};
}

absl::StatusOr<ReflectedMethod> ReflectedMethod::Resolve(std::shared_ptr<grpc::Channel> channel,
                                                         absl::string_view full_name,
                                                         absl::Duration rpc_deadline) {
  absl::StatusOr<MethodName> name = ParseMethodName(full_name);
  if (!name.ok()) return name.status();

  ReflectedMethod result;
  result.database_ =
      std::make_unique<ReflectionDescriptorDatabase>(std::move(channel), rpc_deadline);
  result.merged_ = std::make_unique<google::protobuf::MergedDescriptorDatabase>(
      result.database_.get(), BuiltinDescriptorDatabase());
  result.pool_ = std::make_unique<google::protobuf::DescriptorPool>(result.merged_.get());

  const google::protobuf::ServiceDescriptor* service =
      result.pool_->FindServiceByName(name->service);
  if (service == nullptr) {
    const absl::Status& why = result.database_->last_error();
    if (!why.ok() && why.code() != absl::StatusCode::kNotFound) return why;
    return absl::NotFoundError(
        absl::StrCat("service '", name->service, "' is not known to the server",
                     why.ok() ? "" : absl::StrCat(" (", why.message(), ")")));
  }
  const google::protobuf::MethodDescriptor* method = service->FindMethodByName(name->method);
  if (method == nullptr) {
    std::vector<std::string> known;
    for (int i = 0; i < service->method_count(); ++i) {
      known.push_back(service->method(i)->name());
    }
    return absl::NotFoundError(absl::StrCat("service '", name->service, "' has no method '",
                                            name->method,
                                            "'; it has: ", absl::StrJoin(known, ", ")));
  }
  if (method->client_streaming()) {
    return absl::UnimplementedError(absl::StrCat(method->full_name(),
                                                 " is client- or bidi-streaming; only unary and "
                                                 "server-streaming methods are supported"));
  }
  result.method_ = method;
  result.path_ = absl::StrCat("/", service->full_name(), "/", method->name());
  return result;
}

absl::StatusOr<std::string> ReflectedMethod::SerializeRequest(absl::string_view text) const {
  // Each call builds its own factory so concurrent callers share nothing
  // mutable; this runs once per load run, not per RPC.
  google::protobuf::DynamicMessageFactory factory(pool_.get());
  const google::protobuf::Message* prototype = factory.GetPrototype(method_->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());

  CollectingErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), request.get())) {
    return absl::InvalidArgumentError(absl::StrCat("request is not a valid ",
                                                   method_->input_type()->full_name(),
                                                   " in text format: ", errors.Joined()));
  }
  std::string bytes;
  if (!request->SerializeToString(&bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("request misses required fields of ", method_->input_type()->full_name()));
  }
  return bytes;
}

}  // namespace openencoder::loadgen
