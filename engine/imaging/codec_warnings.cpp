#include "engine/imaging/codec_warnings.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/oflog/appender.h>
#include <dcmtk/oflog/oflog.h>
#include <dcmtk/oflog/spi/logevent.h>

#include <mutex>

namespace fedmrg::engine {
namespace {

// The counter of the scope open on this thread; null outside a decode. Thread-local because the viewer
// decodes ahead on worker threads while the importer or a draft decodes on others.
thread_local int* activeCounter = nullptr;

class CountingAppender : public dcmtk::log4cplus::Appender {
 public:
  void close() override {}

 protected:
  void append(const dcmtk::log4cplus::spi::InternalLoggingEvent& event) override {
    if (activeCounter && event.getLogLevel() >= dcmtk::log4cplus::WARN_LOG_LEVEL) ++*activeCounter;
  }
};

void installOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // The loggers of the decoders DicomImage calls: dcmjpeg (libjpeg's "corrupt data" warnings),
    // dcmjpls (CharLS) and dcmdata (the RLE decoder's "insufficient data for this frame").
    for (const char* name : {"dcmtk.dcmjpeg", "dcmtk.dcmjpls", "dcmtk.dcmdata"}) {
      OFLogger logger = OFLog::getLogger(name);
      // A logger set above WARN would drop the warnings before the appender sees them.
      if (logger.getChainedLogLevel() > dcmtk::log4cplus::WARN_LOG_LEVEL)
        logger.setLogLevel(dcmtk::log4cplus::WARN_LOG_LEVEL);
      logger.addAppender(dcmtk::log4cplus::SharedAppenderPtr(new CountingAppender));
    }
  });
}

}  // namespace

CodecWarningScope::CodecWarningScope() : previous_(activeCounter) {
  installOnce();
  activeCounter = &warnings_;
}

CodecWarningScope::~CodecWarningScope() { activeCounter = previous_; }

}  // namespace fedmrg::engine
