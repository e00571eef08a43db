#include "bench/loadgen/reflection_client.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "oe_loadgen_reflection.pb.h"

namespace openencoder::loadgen {
namespace {

namespace wire = reflection_wire;

constexpr char kReflectionMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// Drives one async operation to completion; the queue has no other work.
bool Await(grpc::CompletionQueue& cq, void* tag) {
  void* got = nullptr;
  bool ok = false;
  return cq.Next(&got, &ok) && got == tag && ok;
}

}  // namespace

ReflectionDescriptorDatabase::ReflectionDescriptorDatabase(std::shared_ptr<grpc::Channel> channel,
                                                           absl::Duration rpc_deadline)
    : channel_(std::move(channel)), stub_(channel_), rpc_deadline_(rpc_deadline) {}

absl::Status ReflectionDescriptorDatabase::Ask(Query query, const std::string& argument,
                                               wire::ServerReflectionResponse* response) {
  wire::ServerReflectionRequest request;
  switch (query) {
    case Query::kFileByName:
      request.set_file_by_filename(argument);
      break;
    case Query::kFileContainingSymbol:
      request.set_file_containing_symbol(argument);
      break;
    case Query::kListServices:
      request.set_list_services(argument);
      break;
  }
  grpc::Slice slice(request.SerializeAsString());
  grpc::ByteBuffer send(&slice, 1);

  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + rpc_deadline_));
  grpc::CompletionQueue cq;
  auto call = stub_.PrepareCall(&context, kReflectionMethod, &cq);
  // Tags only need to be distinct addresses.
  int start_tag, write_tag, read_tag, finish_tag;
  grpc::ByteBuffer received;
  grpc::Status status;
  call->StartCall(&start_tag);
  bool ok = Await(cq, &start_tag);
  if (ok) {
    call->WriteLast(send, grpc::WriteOptions(), &write_tag);
    ok = Await(cq, &write_tag);
  }
  if (ok) {
    call->Read(&received, &read_tag);
    ok = Await(cq, &read_tag);
  }
  // Finish is always called so the status explains a failed step.
  call->Finish(&status, &finish_tag);
  Await(cq, &finish_tag);
  cq.Shutdown();
  void* ignored_tag;
  bool ignored_ok;
  while (cq.Next(&ignored_tag, &ignored_ok)) {
  }

  if (!ok) {
    if (status.ok()) {
      return absl::UnavailableError("reflection stream ended without an answer");
    }
    return FromGrpc(status, "server reflection");
  }
  std::vector<grpc::Slice> slices;
  if (!received.Dump(&slices).ok()) {
    return absl::InternalError("cannot read reflection response");
  }
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  if (!response->ParseFromString(bytes)) {
    return absl::InternalError("malformed reflection response");
  }
  if (response->has_error_response()) {
    const auto& error = response->error_response();
    return absl::Status(
        static_cast<absl::StatusCode>(error.error_code()),
        absl::StrCat("server reflection: ", error.error_message(), " (", argument, ")"));
  }
  return absl::OkStatus();
}

bool ReflectionDescriptorDatabase::FetchFile(Query query, const std::string& argument,
                                             google::protobuf::FileDescriptorProto* output) {
  wire::ServerReflectionResponse response;
  if (absl::Status status = Ask(query, argument, &response); !status.ok()) {
    last_error_ = std::move(status);
    return false;
  }
  const auto& files = response.file_descriptor_response().file_descriptor_proto();
  if (files.empty()) {
    last_error_ =
        absl::NotFoundError(absl::StrCat("server reflection sent no file for ", argument));
    return false;
  }
  for (int i = 0; i < files.size(); ++i) {
    google::protobuf::FileDescriptorProto file;
    if (!file.ParseFromString(files[i])) {
      last_error_ =
          absl::InternalError(absl::StrCat("malformed FileDescriptorProto for ", argument));
      return false;
    }
    if (i == 0) *output = file;
    files_by_name_.try_emplace(file.name(), std::move(file));
  }
  last_error_ = absl::OkStatus();
  return true;
}

bool ReflectionDescriptorDatabase::FindFileByName(const std::string& filename,
                                                  google::protobuf::FileDescriptorProto* output) {
  if (auto it = files_by_name_.find(filename); it != files_by_name_.end()) {
    *output = it->second;
    return true;
  }
  return FetchFile(Query::kFileByName, filename, output);
}

bool ReflectionDescriptorDatabase::FindFileContainingSymbol(
    const std::string& symbol_name, google::protobuf::FileDescriptorProto* output) {
  return FetchFile(Query::kFileContainingSymbol, symbol_name, output);
}

bool ReflectionDescriptorDatabase::FindFileContainingExtension(
    const std::string& containing_type, int field_number,
    google::protobuf::FileDescriptorProto* output) {
  return false;
}

absl::StatusOr<std::vector<std::string>> ReflectionDescriptorDatabase::ListServices() {
  wire::ServerReflectionResponse response;
  if (absl::Status status = Ask(Query::kListServices, "", &response); !status.ok()) {
    return status;
  }
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  return names;
}

}  // namespace openencoder::loadgen
