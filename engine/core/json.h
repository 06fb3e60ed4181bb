#pragma once
// A small JSON value for configs, manifests and JSONL files: the engine must build on machines
// that have LibTorch and nothing else, so it carries its own parser instead of a third-party one.
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fedmrg::engine {

class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Json {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };
  using Array = std::vector<Json>;
  // Objects keep insertion order so that written files are byte-stable.
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : type_(Type::Bool), bool_(b) {}
  Json(int v) : type_(Type::Number), number_(v) {}
  Json(unsigned v) : type_(Type::Number), number_(v) {}
  Json(long v) : type_(Type::Number), number_(double(v)) {}
  Json(unsigned long v) : type_(Type::Number), number_(double(v)) {}
  Json(long long v) : type_(Type::Number), number_(double(v)) {}
  Json(unsigned long long v) : type_(Type::Number), number_(double(v)) {}
  Json(double v) : type_(Type::Number), number_(v) {}
  Json(float v) : type_(Type::Number), number_(v) {}
  Json(const char* s) : type_(Type::String), string_(s) {}
  Json(std::string s) : type_(Type::String), string_(std::move(s)) {}
  Json(std::string_view s) : type_(Type::String), string_(s) {}
  Json(Array a) : type_(Type::Array), array_(std::move(a)) {}
  Json(Object o) : type_(Type::Object), object_(std::move(o)) {}

  static Json array() { return Json(Array{}); }
  static Json object() { return Json(Object{}); }

  // Throws JsonError naming line, column and the reason.
  static Json parse(std::string_view text);
  // Reads and parses a file; errors name the path.
  static Json parseFile(const std::string& path);
  // indent < 0: one line; otherwise pretty-printed with that many spaces.
  std::string dump(int indent = -1) const;

  Type type() const { return type_; }
  bool isNull() const { return type_ == Type::Null; }
  bool isBool() const { return type_ == Type::Bool; }
  bool isNumber() const { return type_ == Type::Number; }
  bool isString() const { return type_ == Type::String; }
  bool isArray() const { return type_ == Type::Array; }
  bool isObject() const { return type_ == Type::Object; }

  // Typed access; throws JsonError when the type is wrong.
  bool asBool() const;
  double asNumber() const;
  int64_t asInt() const;  // also checks that the number is integral
  const std::string& asString() const;
  const Array& asArray() const;
  Array& asArray();
  const Object& asObject() const;
  Object& asObject();

  // Object access. at() throws "missing field 'key'"; find() returns nullptr.
  const Json& at(std::string_view key) const;
  const Json* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  Json& operator[](std::string_view key);  // inserts null when absent (turns null into object)
  // Array access.
  const Json& at(size_t i) const;
  void push_back(Json v);
  size_t size() const;

  // Typed lookups with a default for absent keys; a present key of the wrong type still throws.
  double value(std::string_view key, double def) const;
  int64_t value(std::string_view key, int64_t def) const;
  int value(std::string_view key, int def) const { return int(value(key, int64_t(def))); }
  bool value(std::string_view key, bool def) const;
  std::string value(std::string_view key, const char* def) const;

  bool operator==(const Json& o) const;
  bool operator!=(const Json& o) const { return !(*this == o); }

 private:
  void dumpTo(std::string& out, int indent, int depth) const;
  Type type_ = Type::Null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  Array array_;
  Object object_;
};

// Escapes a string as a JSON string literal (with quotes).
std::string jsonQuote(std::string_view s);

}  // namespace fedmrg::engine
