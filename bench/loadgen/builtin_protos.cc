#include "bench/loadgen/builtin_protos.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/text_format.h>

#include <cstdlib>

namespace openencoder::loadgen {
namespace {

// grpc/health/v1/health.proto as a FileDescriptorProto in text format.
constexpr char kHealthProto[] = R"pb(
  name: "grpc/health/v1/health.proto"
  package: "grpc.health.v1"
  syntax: "proto3"
  message_type {
    name: "HealthCheckRequest"
    field { name: "service" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING json_name: "service" }
  }
  message_type {
    name: "HealthCheckResponse"
    field {
      name: "status"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_ENUM
      type_name: ".grpc.health.v1.HealthCheckResponse.ServingStatus"
      json_name: "status"
    }
    enum_type {
      name: "ServingStatus"
      value { name: "UNKNOWN" number: 0 }
      value { name: "SERVING" number: 1 }
      value { name: "NOT_SERVING" number: 2 }
      value { name: "SERVICE_UNKNOWN" number: 3 }
    }
  }
  service {
    name: "Health"
    method {
      name: "Check"
      input_type: ".grpc.health.v1.HealthCheckRequest"
      output_type: ".grpc.health.v1.HealthCheckResponse"
    }
    method {
      name: "Watch"
      input_type: ".grpc.health.v1.HealthCheckRequest"
      output_type: ".grpc.health.v1.HealthCheckResponse"
      server_streaming: true
    }
  }
)pb";

google::protobuf::SimpleDescriptorDatabase* Build() {
  google::protobuf::FileDescriptorProto health;
  auto* database = new google::protobuf::SimpleDescriptorDatabase();
  // The text is a constant of this file: failing here is a programming error.
  if (!google::protobuf::TextFormat::ParseFromString(kHealthProto, &health) ||
      !database->Add(health)) {
    std::abort();
  }
  return database;
}

}  // namespace

google::protobuf::DescriptorDatabase* BuiltinDescriptorDatabase() {
  static google::protobuf::SimpleDescriptorDatabase* const database = Build();
  return database;
}

}  // namespace openencoder::loadgen
