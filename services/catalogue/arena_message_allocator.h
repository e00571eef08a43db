// A grpc::MessageAllocator that puts one call's request and response, with
// every string and sub-message under them, on a google::protobuf::Arena
// whose first block is inside the holder: one allocation per call instead
// of one per field, and one free at the end instead of a deep destructor.
//
// Worth it for responses with many fields (a code page has dozens of
// strings and repeated sub-messages). Install it on the generated service:
//   ArenaMessageAllocator<pb::GetCodePageRequest, pb::GetCodePageResponse> a;
//   service.SetMessageAllocatorFor_GetCodePage(&a);  // `a` outlives the server
//
// Thread-safe (stateless); AllocateMessages may run on any gRPC thread.
#ifndef OPENENCODER_SERVICES_CATALOGUE_ARENA_MESSAGE_ALLOCATOR_H_
#define OPENENCODER_SERVICES_CATALOGUE_ARENA_MESSAGE_ALLOCATOR_H_

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

#include <cstddef>

namespace openencoder::catalogue {

template <typename Request, typename Response, size_t kInlineBytes = 16 * 1024>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder; }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options(block_)) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    // Everything the arena handed out goes with it.
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options(char* block) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = kInlineBytes;
      return options;
    }

    alignas(std::max_align_t) char block_[kInlineBytes];
    google::protobuf::Arena arena_;  // after block_: it is built on it
  };
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_SERVICES_CATALOGUE_ARENA_MESSAGE_ALLOCATOR_H_
