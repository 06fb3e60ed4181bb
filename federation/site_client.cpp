#include "federation/site_client.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstring>

#include "fedmrg/federation/v1/federation.grpc.pb.h"
#include "federation/payload_stream.h"

namespace fedmrg::federation {

struct SiteClient::Impl {
  std::unique_ptr<v1::Federation::Stub> stub;
};

SiteClient::SiteClient(const std::string& target) : impl_(std::make_unique<Impl>()) {
  impl_->stub = v1::Federation::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
}

SiteClient::~SiteClient() = default;

namespace {
std::chrono::system_clock::time_point deadlineIn(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}
}  // namespace

UploadResult SiteClient::upload(const Payload& payload, int timeoutSeconds) {
  UploadResult result;
  grpc::ClientContext ctx;
  ctx.set_deadline(deadlineIn(timeoutSeconds));
  v1::UploadReply reply;
  auto writer = impl_->stub->Upload(&ctx, &reply);
  streamPayload(payload, kDefaultChunkBytes, [&](const v1::PayloadChunk& c) {
    result.bytesSent += c.ByteSizeLong();
    return writer->Write(c);
  });
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  result.accepted = status.ok() && reply.accepted();
  if (!result.accepted) result.reason = !reply.reason().empty() ? reply.reason() : status.error_message();
  if (reply.sha256().size() == result.coordinatorDigest.size())
    std::memcpy(result.coordinatorDigest.data(), reply.sha256().data(), result.coordinatorDigest.size());
  return result;
}

DownloadResult SiteClient::download(uint64_t version, int timeoutSeconds) {
  DownloadResult result;
  grpc::ClientContext ctx;
  ctx.set_deadline(deadlineIn(timeoutSeconds));
  v1::DownloadRequest req;
  req.set_version(version);
  auto reader = impl_->stub->Download(&ctx, req);
  PayloadAssembler assembler(uint64_t(1) << 31);
  v1::PayloadChunk chunk;
  bool protocolOk = true;
  while (reader->Read(&chunk)) {
    result.bytesReceived += chunk.ByteSizeLong();
    if (protocolOk && !assembler.add(chunk)) protocolOk = false;
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    result.reason = status.error_message();
    return result;
  }
  if (!protocolOk || !assembler.finish()) {
    result.reason = assembler.error();
    return result;
  }
  result.ok = true;
  result.payload = assembler.take();
  return result;
}

}  // namespace fedmrg::federation
