#include "engine/core/json.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fedmrg::engine {
namespace {

const char* typeName(Json::Type t) {
  switch (t) {
    case Json::Type::Null: return "null";
    case Json::Type::Bool: return "bool";
    case Json::Type::Number: return "number";
    case Json::Type::String: return "string";
    case Json::Type::Array: return "array";
    case Json::Type::Object: return "object";
  }
  return "?";
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Json parseDocument() {
    skipSpace();
    Json v = parseValue(0);
    skipSpace();
    if (pos_ != s_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    throw JsonError("JSON parse error at line " + std::to_string(line) + ", column " +
                    std::to_string(col) + ": " + why);
  }
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) { ++pos_; return true; }
    return false;
  }
  void expectWord(const char* w) {
    size_t n = std::strlen(w);
    if (s_.substr(pos_, n) != w) fail(std::string("expected '") + w + "'");
    pos_ += n;
  }

  Json parseValue(int depth) {
    if (depth > 512) fail("nesting deeper than 512");
    if (pos_ >= s_.size()) fail("unexpected end of input");
    char c = s_[pos_];
    if (c == '{') return parseObject(depth);
    if (c == '[') return parseArray(depth);
    if (c == '"') return Json(parseString());
    if (c == 't') { expectWord("true"); return Json(true); }
    if (c == 'f') { expectWord("false"); return Json(false); }
    if (c == 'n') { expectWord("null"); return Json(); }
    if (c == '-' || (c >= '0' && c <= '9')) return Json(parseNumber());
    fail(std::string("unexpected character '") + c + "'");
  }

  Json parseObject(int depth) {
    ++pos_;
    Json::Object obj;
    skipSpace();
    if (consume('}')) return Json(std::move(obj));
    for (;;) {
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string key");
      std::string key = parseString();
      skipSpace();
      if (!consume(':')) fail("expected ':' after key \"" + key + "\"");
      skipSpace();
      obj.emplace_back(std::move(key), parseValue(depth + 1));
      skipSpace();
      if (consume(',')) continue;
      if (consume('}')) return Json(std::move(obj));
      fail("expected ',' or '}' in object");
    }
  }

  Json parseArray(int depth) {
    ++pos_;
    Json::Array arr;
    skipSpace();
    if (consume(']')) return Json(std::move(arr));
    for (;;) {
      skipSpace();
      arr.push_back(parseValue(depth + 1));
      skipSpace();
      if (consume(',')) continue;
      if (consume(']')) return Json(std::move(arr));
      fail("expected ',' or ']' in array");
    }
  }

  static void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }

  uint32_t parseHex4() {
    if (pos_ + 4 > s_.size()) fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char h = s_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f') v |= uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= uint32_t(h - 'A' + 10);
      else fail("bad hex digit in \\u escape");
    }
    return v;
  }

  std::string parseString() {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) fail("unterminated string");
      char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') { out += c; continue; }
      if (pos_ >= s_.size()) fail("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = parseHex4();
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (!(consume('\\') && consume('u'))) fail("unpaired surrogate in \\u escape");
            uint32_t lo = parseHex4();
            if (lo < 0xDC00 || lo >= 0xE000) fail("bad low surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            fail("unpaired low surrogate in \\u escape");
          }
          appendUtf8(out, cp);
          break;
        }
        default: fail(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  double parseNumber() {
    size_t start = pos_;
    consume('-');
    if (pos_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_]))) fail("bad number");
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (consume('.')) {
      if (pos_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_]))) fail("bad fraction");
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (!consume('+')) consume('-');
      if (pos_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_]))) fail("bad exponent");
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    double v = 0;
    auto res = std::from_chars(s_.data() + start, s_.data() + pos_, v);
    if (res.ec != std::errc()) fail("number out of range");
    return v;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

void appendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) { out += "null"; return; }  // JSON has no NaN/Inf
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 9007199254740992.0) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    out.append(buf, r.ptr);
    return;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  out.append(buf, r.ptr);
}

void newline(std::string& out, int indent, int depth) {
  if (indent < 0) return;
  out += '\n';
  out.append(size_t(indent) * size_t(depth), ' ');
}

}  // namespace

std::string jsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

Json Json::parse(std::string_view text) { return Parser(text).parseDocument(); }

Json Json::parseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JsonError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return parse(ss.str());
  } catch (const JsonError& e) {
    throw JsonError(path + ": " + e.what());
  }
}

std::string Json::dump(int indent) const {
  std::string out;
  dumpTo(out, indent, 0);
  return out;
}

void Json::dumpTo(std::string& out, int indent, int depth) const {
  switch (type_) {
    case Type::Null: out += "null"; break;
    case Type::Bool: out += bool_ ? "true" : "false"; break;
    case Type::Number: appendNumber(out, number_); break;
    case Type::String: out += jsonQuote(string_); break;
    case Type::Array:
      if (array_.empty()) { out += "[]"; break; }
      out += '[';
      for (size_t i = 0; i < array_.size(); ++i) {
        if (i) out += ',';
        newline(out, indent, depth + 1);
        array_[i].dumpTo(out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out += ']';
      break;
    case Type::Object:
      if (object_.empty()) { out += "{}"; break; }
      out += '{';
      for (size_t i = 0; i < object_.size(); ++i) {
        if (i) out += ',';
        newline(out, indent, depth + 1);
        out += jsonQuote(object_[i].first);
        out += indent < 0 ? ":" : ": ";
        object_[i].second.dumpTo(out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out += '}';
      break;
  }
}

#define FEDMRG_JSON_EXPECT(t)                                                                 \
  if (type_ != (t))                                                                           \
  throw JsonError(std::string("expected JSON ") + typeName(t) + ", found " + typeName(type_))

bool Json::asBool() const { FEDMRG_JSON_EXPECT(Type::Bool); return bool_; }
double Json::asNumber() const { FEDMRG_JSON_EXPECT(Type::Number); return number_; }
int64_t Json::asInt() const {
  FEDMRG_JSON_EXPECT(Type::Number);
  if (std::floor(number_) != number_ || std::fabs(number_) > 9007199254740992.0)
    throw JsonError("expected an integer, found " + dump());
  return static_cast<int64_t>(number_);
}
const std::string& Json::asString() const { FEDMRG_JSON_EXPECT(Type::String); return string_; }
const Json::Array& Json::asArray() const { FEDMRG_JSON_EXPECT(Type::Array); return array_; }
Json::Array& Json::asArray() { FEDMRG_JSON_EXPECT(Type::Array); return array_; }
const Json::Object& Json::asObject() const { FEDMRG_JSON_EXPECT(Type::Object); return object_; }
Json::Object& Json::asObject() { FEDMRG_JSON_EXPECT(Type::Object); return object_; }

const Json* Json::find(std::string_view key) const {
  if (type_ != Type::Object) return nullptr;
  for (const auto& kv : object_)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

const Json& Json::at(std::string_view key) const {
  FEDMRG_JSON_EXPECT(Type::Object);
  if (const Json* v = find(key)) return *v;
  throw JsonError("missing field '" + std::string(key) + "'");
}

Json& Json::operator[](std::string_view key) {
  if (type_ == Type::Null) type_ = Type::Object;
  FEDMRG_JSON_EXPECT(Type::Object);
  for (auto& kv : object_)
    if (kv.first == key) return kv.second;
  object_.emplace_back(std::string(key), Json());
  return object_.back().second;
}

const Json& Json::at(size_t i) const {
  FEDMRG_JSON_EXPECT(Type::Array);
  if (i >= array_.size()) throw JsonError("array index " + std::to_string(i) + " out of range");
  return array_[i];
}

void Json::push_back(Json v) {
  if (type_ == Type::Null) type_ = Type::Array;
  FEDMRG_JSON_EXPECT(Type::Array);
  array_.push_back(std::move(v));
}

size_t Json::size() const {
  if (type_ == Type::Array) return array_.size();
  if (type_ == Type::Object) return object_.size();
  return 0;
}

namespace {
template <typename F>
auto fieldOr(const Json& j, std::string_view key, F get) -> decltype(get(j)) {
  try {
    return get(*j.find(key));
  } catch (const JsonError& e) {
    throw JsonError("field '" + std::string(key) + "': " + e.what());
  }
}
}  // namespace

double Json::value(std::string_view key, double def) const {
  if (!find(key)) return def;
  return fieldOr(*this, key, [](const Json& v) { return v.asNumber(); });
}
int64_t Json::value(std::string_view key, int64_t def) const {
  if (!find(key)) return def;
  return fieldOr(*this, key, [](const Json& v) { return v.asInt(); });
}
bool Json::value(std::string_view key, bool def) const {
  if (!find(key)) return def;
  return fieldOr(*this, key, [](const Json& v) { return v.asBool(); });
}
std::string Json::value(std::string_view key, const char* def) const {
  if (!find(key)) return def;
  return fieldOr(*this, key, [](const Json& v) { return v.asString(); });
}

bool Json::operator==(const Json& o) const {
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::Null: return true;
    case Type::Bool: return bool_ == o.bool_;
    case Type::Number: return number_ == o.number_;
    case Type::String: return string_ == o.string_;
    case Type::Array: return array_ == o.array_;
    case Type::Object: return object_ == o.object_;
  }
  return false;
}

}  // namespace fedmrg::engine
