#include "federation/payload_stream.h"

#include <algorithm>
#include <cstring>

#include "fedmrg/federation/v1/federation.pb.h"
#include "federation/tensor_codec.h"

namespace fedmrg::federation {

bool streamPayload(const Payload& payload, size_t chunkBytes,
                   const std::function<bool(const v1::PayloadChunk&)>& send) {
  v1::PayloadChunk head;
  v1::PayloadHeader* h = head.mutable_header();
  h->set_site_id(payload.siteId);
  h->set_round(payload.round);
  h->set_base_version(payload.baseVersion);
  h->set_sample_count(payload.sampleCount);
  for (const auto& t : payload.tensors) {
    v1::TensorHeader* th = h->add_tensors();
    th->set_name(t.name);
    th->set_dtype(static_cast<v1::DType>(t.dtype));
    th->set_encoding(static_cast<v1::Encoding>(t.encoding));
    th->set_codec_frame(t.framed);
    for (int64_t d : t.shape) th->add_shape(d);
    th->set_byte_size(t.bytes.size());
  }
  h->set_total_bytes(payload.totalBytes());
  const Sha256 digest = payloadDigest(payload);
  h->set_sha256(digest.data(), digest.size());
  if (!send(head)) return false;

  // Data chunks run across tensor boundaries: the header says where each tensor ends.
  v1::PayloadChunk data;
  std::string* buf = data.mutable_data();
  buf->reserve(chunkBytes);
  for (const auto& t : payload.tensors) {
    size_t off = 0;
    while (off < t.bytes.size()) {
      size_t n = std::min(chunkBytes - buf->size(), t.bytes.size() - off);
      buf->append(t.bytes, off, n);
      off += n;
      if (buf->size() == chunkBytes) {
        if (!send(data)) return false;
        buf->clear();
      }
    }
  }
  if (!buf->empty() && !send(data)) return false;
  return true;
}

uint64_t wirePayloadBytes(const Payload& payload, size_t chunkBytes) {
  uint64_t bytes = 0;
  streamPayload(payload, chunkBytes, [&](const v1::PayloadChunk& chunk) {
    bytes += chunk.ByteSizeLong();
    return true;
  });
  return bytes;
}

PayloadAssembler::PayloadAssembler(uint64_t maxBytes) : maxBytes_(maxBytes) {}
PayloadAssembler::~PayloadAssembler() = default;

bool PayloadAssembler::fail(std::string why) {
  if (error_.empty()) error_ = std::move(why);
  return false;
}

bool PayloadAssembler::add(const v1::PayloadChunk& chunk) {
  if (!error_.empty()) return false;
  if (chunk.has_header()) {
    if (haveHeader_) return fail("a second header chunk arrived");
    const v1::PayloadHeader& h = chunk.header();
    haveHeader_ = true;
    payload_.siteId = h.site_id();
    payload_.round = h.round();
    payload_.baseVersion = h.base_version();
    payload_.sampleCount = h.sample_count();
    if (h.sha256().size() != announced_.size()) return fail("header digest is not 32 bytes");
    std::memcpy(announced_.data(), h.sha256().data(), announced_.size());
    uint64_t sum = 0;
    for (const auto& th : h.tensors()) {
      WireTensor t;
      t.name = th.name();
      t.framed = th.codec_frame();
      if (th.dtype() == v1::INT8 && !t.framed)
        return fail("tensor '" + t.name + "' is int8 but not in a codec frame");
      if (th.dtype() != v1::FLOAT32 && th.dtype() != v1::FLOAT16 && th.dtype() != v1::INT8)
        return fail("tensor '" + t.name + "' has an unknown dtype");
      t.dtype = static_cast<WireDType>(th.dtype());
      if (th.encoding() != v1::ENCODING_UNSPECIFIED && th.encoding() != v1::DENSE &&
          th.encoding() != v1::LOW_RANK_P && th.encoding() != v1::LOW_RANK_Q)
        return fail("tensor '" + t.name + "' has an unknown encoding");
      t.encoding = th.encoding() == v1::ENCODING_UNSPECIFIED ? WireEncoding::Dense
                                                             : static_cast<WireEncoding>(th.encoding());
      if (t.encoding != WireEncoding::Dense && !t.framed)
        return fail("tensor '" + t.name + "' is low-rank but not in a codec frame");
      uint64_t elements = 1;
      for (int64_t d : th.shape()) {
        if (d <= 0 || d > (int64_t(1) << 32)) return fail("tensor '" + t.name + "' has a bad dimension");
        t.shape.push_back(d);
        elements *= uint64_t(d);
        if (elements > maxBytes_) return fail("tensor '" + t.name + "' is larger than the size limit");
      }
      if (t.framed ? th.byte_size() > maxFrameBytes(t.shape) : elements * t.elementSize() != th.byte_size())
        return fail("tensor '" + t.name + "': byte_size does not match its shape and dtype");
      sum += th.byte_size();
      if (sum > maxBytes_) return fail("payload is larger than the limit of " + std::to_string(maxBytes_) + " bytes");
      sizes_.push_back(th.byte_size());
      payload_.tensors.push_back(std::move(t));
    }
    if (sum != h.total_bytes()) return fail("total_bytes does not match the tensors' sizes");
    expected_ = sum;
    return true;
  }
  if (!haveHeader_) return fail("data arrived before the header");
  const std::string& d = chunk.data();
  if (received_ + d.size() > expected_) return fail("more data than the header announced");
  auto full = [&](size_t i) { return payload_.tensors[i].bytes.size() == sizes_[i]; };
  size_t off = 0;
  while (off < d.size()) {
    // The size check above guarantees an unfilled tensor remains.
    while (full(tensorIndex_)) ++tensorIndex_;
    WireTensor& t = payload_.tensors[tensorIndex_];
    const size_t n = std::min(size_t(sizes_[tensorIndex_]) - t.bytes.size(), d.size() - off);
    t.bytes.append(d, off, n);
    off += n;
  }
  received_ += d.size();
  return true;
}

bool PayloadAssembler::finish() {
  if (!error_.empty()) return false;
  if (!haveHeader_) return fail("the stream ended without a header");
  if (received_ != expected_)
    return fail("the stream ended after " + std::to_string(received_) + " of " + std::to_string(expected_) + " bytes");
  digest_ = payloadDigest(payload_);
  if (digest_ != announced_) return fail("digest mismatch: the payload was corrupted in transit");
  return true;
}

}  // namespace fedmrg::federation
