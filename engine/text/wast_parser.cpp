// Scripts (the spec interpreter's .wast format): modules, actions and assertions.
#include <algorithm>
#include <iterator>

#include "engine/text/module_parser.h"
#include "engine/text/numbers.h"
#include "engine/text/wast.h"

namespace tern::text {
namespace {

using Kind = Token::Kind;

constexpr std::string_view kGcNotImplemented =
    "the garbage collection proposal, not implemented (issue 14)";

// The proposal that brings values of a heap type Tern has none of.
std::string_view proposal_of(std::string_view heap_type) {
  if (heap_type == "exn" || heap_type == "noexn") return "the exception handling proposal";
  return kGcNotImplemented;
}

class ScriptParser {
 public:
  explicit ScriptParser(TokenCursor& c) : c_(c) {}

  Script script() {
    Script s;
    if (at_module_field()) {
      // A script that is just the fields of one module.
      Command cmd;
      cmd.line = 1;
      cmd.has_module = true;
      cmd.module.line = 1;
      size_t start = c_.position();
      try {
        cmd.module.binary = ModuleParser(c_).parse_fields();
        c_.expect(Kind::Eof);
      } catch (ParseError& e) {
        cmd.module.encode_error = std::move(e.error);
        cmd.module.binary.clear();
        c_.seek(start);
        while (!c_.at(Kind::Eof)) c_.skip_sexpr();
      }
      s.commands.push_back(std::move(cmd));
      return s;
    }
    while (!c_.at(Kind::Eof)) s.commands.push_back(command());
    return s;
  }

 private:
  bool at_module_field() const {
    static constexpr std::string_view kFields[] = {"type",   "import", "func",   "table",
                                                   "memory", "global", "export", "start",
                                                   "elem",   "data",   "tag",    "rec"};
    for (std::string_view f : kFields) {
      if (c_.at_form(f)) return true;
    }
    return false;
  }

  Command command() {
    Command cmd;
    const Token& open = c_.peek();
    cmd.line = line_of(c_.source(), open.offset);
    if (c_.at_form("module") && c_.at_atom("instance", 2)) {
      c_.next();
      c_.next();
      c_.next();
      cmd.kind = Command::Kind::ModuleInstance;
      if (auto id = c_.take_id()) cmd.instance_id = std::string(*id);
      if (auto id = c_.take_id()) cmd.definition_id = std::string(*id);
      c_.expect_rparen();
      return cmd;
    }
    if (c_.at_form("module")) {
      cmd.kind =
          c_.at_atom("definition", 2) ? Command::Kind::ModuleDefinition : Command::Kind::Module;
      cmd.module = module();
      cmd.has_module = true;
      return cmd;
    }
    if (c_.at_form("invoke") || c_.at_form("get")) {
      cmd.kind = Command::Kind::Action;
      cmd.action = action();
      return cmd;
    }
    c_.expect_lparen();
    const Token& head = c_.next();
    std::string_view name = head.kind == Kind::Atom ? head.text : "";
    if (name == "register") {
      cmd.kind = Command::Kind::Register;
      cmd.register_name = c_.expect_name();
      if (auto id = c_.take_id()) cmd.register_id = std::string(*id);
    } else if (name == "assert_return") {
      cmd.kind = Command::Kind::AssertReturn;
      cmd.action = action();
      while (c_.at(Kind::LParen)) cmd.expected.push_back(result_pattern());
    } else if (name == "assert_trap") {
      cmd.kind = Command::Kind::AssertTrap;
      if (c_.at_form("module")) {
        cmd.module = module();
        cmd.has_module = true;
      } else {
        cmd.action = action();
      }
      cmd.message = c_.expect_string();
    } else if (name == "assert_exception") {
      cmd.kind = Command::Kind::AssertException;
      cmd.action = action();
    } else if (name == "assert_exhaustion") {
      cmd.kind = Command::Kind::AssertExhaustion;
      cmd.action = action();
      cmd.message = c_.expect_string();
    } else {
      static constexpr std::pair<std::string_view, Command::Kind> kModuleAssertions[] = {
          {"assert_invalid", Command::Kind::AssertInvalid},
          {"assert_malformed", Command::Kind::AssertMalformed},
          {"assert_unlinkable", Command::Kind::AssertUnlinkable},
          {"assert_uninstantiable", Command::Kind::AssertUninstantiable}};
      bool found = false;
      for (auto [text, kind] : kModuleAssertions) {
        if (name != text) continue;
        cmd.kind = kind;
        cmd.module = module();
        cmd.has_module = true;
        cmd.message = c_.expect_string();
        found = true;
      }
      if (!found) c_.fail(head, "unknown command");
    }
    c_.expect_rparen();
    return cmd;
  }

  ScriptModule module() {
    ScriptModule m;
    size_t start = c_.position();
    m.line = line_of(c_.source(), c_.peek().offset);
    c_.take_form("module");
    c_.take_atom("definition");
    if (auto id = c_.take_id()) m.id = std::string(*id);
    if (c_.take_atom("binary")) {
      m.form = ScriptModule::Form::Binary;
      while (c_.at(Kind::String)) {
        const std::string& s = c_.next().value;
        m.binary.insert(m.binary.end(), s.begin(), s.end());
      }
    } else if (c_.take_atom("quote")) {
      m.form = ScriptModule::Form::Quote;
      while (c_.at(Kind::String)) m.quote += c_.next().value;
    } else {
      try {
        m.binary = ModuleParser(c_).parse_fields();
        if (!c_.at(Kind::RParen)) c_.unexpected();
      } catch (ParseError& e) {
        m.encode_error = std::move(e.error);
        m.binary.clear();
        c_.seek(start);
        c_.skip_sexpr();
        return m;
      }
    }
    c_.expect_rparen();
    return m;
  }

  Action action() {
    Action a;
    if (c_.take_form("invoke")) {
      a.kind = Action::Kind::Invoke;
    } else if (c_.take_form("get")) {
      a.kind = Action::Kind::Get;
    } else {
      c_.unexpected();
    }
    if (auto id = c_.take_id()) a.module_id = std::string(*id);
    a.field = c_.expect_name();
    while (a.kind == Action::Kind::Invoke && c_.at(Kind::LParen)) {
      a.args.push_back(argument(a.unsupported_arg));
    }
    c_.expect_rparen();
    return a;
  }

  std::string_view atom() {
    if (!c_.at(Kind::Atom)) c_.unexpected();
    return c_.peek().text;
  }

  template <class T>
  T number(std::optional<T> v) {
    if (!v) c_.fail("constant out of range");
    c_.next();
    return *v;
  }

  // The heap type after `ref.null`, as its hierarchy; a type index names none in particular.
  RefHierarchy heap_type() {
    static constexpr std::pair<std::string_view, RefHierarchy> kHeapTypes[] = {
        {"func", RefHierarchy::Func},     {"nofunc", RefHierarchy::Func},
        {"extern", RefHierarchy::Extern}, {"noextern", RefHierarchy::Extern},
        {"exn", RefHierarchy::Exn},       {"noexn", RefHierarchy::Exn},
        {"any", RefHierarchy::Gc},        {"none", RefHierarchy::Gc},
        {"eq", RefHierarchy::Gc},         {"i31", RefHierarchy::Gc},
        {"struct", RefHierarchy::Gc},     {"array", RefHierarchy::Gc}};
    for (auto [text, hierarchy] : kHeapTypes) {
      if (c_.take_atom(text)) return hierarchy;
    }
    if (!c_.take_id()) {
      if (!is_index_token(c_.peek())) c_.unexpected();
      c_.next();
    }
    return RefHierarchy::Unspecified;
  }

  // `(i32.const 1)` and the other constants an invocation takes. A reference Tern has no value
  // for yet becomes a null funcref, with why in `unsupported` (the first such reason).
  Value argument(std::string& unsupported) {
    auto cannot_pass = [&](std::string why) {
      if (unsupported.empty()) unsupported = std::move(why);
      return Value::funcref(nullptr);
    };
    c_.expect_lparen();
    Value v;
    if (c_.take_atom("i32.const")) {
      v = Value::i32(int32_t(number(parse_int(atom(), 32))));
    } else if (c_.take_atom("i64.const")) {
      v = Value::i64(int64_t(number(parse_int(atom(), 64))));
    } else if (c_.take_atom("f32.const")) {
      v = Value::f32_bits(number(parse_f32(atom())));
    } else if (c_.take_atom("f64.const")) {
      v = Value::f64_bits(number(parse_f64(atom())));
    } else if (c_.take_atom("v128.const")) {
      v = Value::v128(parse_v128_literal(c_));
    } else if (c_.take_atom("ref.null")) {
      const Token& heap = c_.peek();
      auto type = null_type_of(heap_type());
      v = type ? Value::ref(*type, nullptr)
               : cannot_pass("Tern has no value for `ref.null " + std::string(heap.text) +
                             "` yet (" + std::string(proposal_of(heap.text)) + ")");
    } else if (c_.take_atom("ref.extern")) {
      v = extern_ref(uint32_t(number(parse_unsigned(atom(), 32))));
    } else if (c_.take_atom("ref.host")) {
      v = host_ref(uint32_t(number(parse_unsigned(atom(), 32))));
    } else {
      c_.unexpected();
    }
    c_.expect_rparen();
    return v;
  }

  std::optional<NanKind> nan_pattern() {
    if (c_.take_atom("nan:canonical")) return NanKind::Canonical;
    if (c_.take_atom("nan:arithmetic")) return NanKind::Arithmetic;
    return std::nullopt;
  }

  // `(ref.null …)`, `(ref.func …)`, `(ref.array)`, …: patterns that match a class of
  // references rather than one value; false when the next pattern is not one.
  bool reference_class_pattern(ResultPattern& p) {
    static constexpr std::pair<std::string_view, RefHierarchy> kNonNull[] = {
        {"ref.func", RefHierarchy::Func}, {"ref.exn", RefHierarchy::Exn},
        {"ref.host", RefHierarchy::Gc},   {"ref.any", RefHierarchy::Gc},
        {"ref.eq", RefHierarchy::Gc},     {"ref.i31", RefHierarchy::Gc},
        {"ref.struct", RefHierarchy::Gc}, {"ref.array", RefHierarchy::Gc}};
    const Token& open = c_.peek();
    if (c_.at_atom("ref.null", 1)) {
      c_.next();
      c_.next();
      p.ref = ResultPattern::Ref::Null;
      p.hierarchy = c_.at(Kind::RParen) ? RefHierarchy::Unspecified : heap_type();
    } else if (c_.at_atom("ref.extern", 1) && c_.peek(2).kind == Kind::RParen) {
      c_.next();
      c_.next();
      p.ref = ResultPattern::Ref::NonNull;
      p.hierarchy = RefHierarchy::Extern;
    } else {
      auto it = std::find_if(std::begin(kNonNull), std::end(kNonNull),
                             [&](const auto& entry) { return c_.at_atom(entry.first, 1); });
      if (it == std::end(kNonNull)) return false;
      c_.next();
      c_.next();
      p.ref = ResultPattern::Ref::NonNull;
      p.hierarchy = it->second;
      // `ref.func $f` / `ref.host 1`: the value's identity is not checked, any non-null matches.
      if (c_.at(Kind::Id) || is_index_token(c_.peek())) c_.next();
    }
    const Token& close = c_.peek();
    c_.expect_rparen();
    p.ref_text = std::string(c_.source().substr(open.offset + 1, close.offset - open.offset - 1));
    p.type = null_type_of(p.hierarchy).value_or(ValType::FuncRef);
    return true;
  }

  ResultPattern result_pattern() {
    ResultPattern p;
    if (c_.take_form("either")) {
      while (c_.at(Kind::LParen)) p.alternatives.push_back(result_pattern());
      if (p.alternatives.empty()) c_.unexpected();
      c_.expect_rparen();
      return p;
    }
    if (reference_class_pattern(p)) return p;
    bool is_f32 = c_.at_atom("f32.const", 1), is_f64 = c_.at_atom("f64.const", 1);
    bool float_lanes =
        c_.at_atom("v128.const", 1) && (c_.at_atom("f32x4", 2) || c_.at_atom("f64x2", 2));
    if (is_f32 || is_f64) {
      c_.next();
      c_.next();
      p.type = is_f32 ? ValType::F32 : ValType::F64;
      if (auto nan = nan_pattern()) {
        p.nan = *nan;
        p.value = Value::zero(p.type);
      } else {
        p.value = is_f32 ? Value::f32_bits(number(parse_f32(atom())))
                         : Value::f64_bits(number(parse_f64(atom())));
      }
      c_.expect_rparen();
    } else if (float_lanes) {
      c_.next();
      c_.next();
      bool f32 = c_.take_atom("f32x4");
      if (!f32) c_.expect_atom("f64x2");
      p.type = ValType::V128;
      p.lane_count = f32 ? 4 : 2;
      p.lane_bits = f32 ? 32 : 64;
      V128 v{};
      for (unsigned lane = 0; lane < p.lane_count; ++lane) {
        if (auto nan = nan_pattern()) {
          p.lane_nan[lane] = *nan;
          continue;
        }
        uint64_t bits = f32 ? number(parse_f32(atom())) : number(parse_f64(atom()));
        for (unsigned b = 0; b < p.lane_bits / 8u; ++b) {
          v.bytes[lane * p.lane_bits / 8 + b] = uint8_t(bits >> (8 * b));
        }
      }
      p.value = Value::v128(v);
      c_.expect_rparen();
    } else {
      std::string unsupported;
      p.value = argument(unsupported);
      p.type = p.value.type();
    }
    return p;
  }

  TokenCursor& c_;
};

}  // namespace

Result<Script> parse_wast(std::string_view source) {
  auto tokens = tokenize(source);
  if (!tokens.ok()) return tokens.take_error();
  TokenCursor c(source, tokens.value());
  try {
    return ScriptParser(c).script();
  } catch (ParseError& e) {
    return std::move(e.error);
  }
}

}  // namespace tern::text
