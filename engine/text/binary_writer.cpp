#include "engine/text/binary_writer.h"

namespace tern::text {

void ByteWriter::u32(uint32_t v) {
  u64(v);
}

void ByteWriter::s64(int64_t v) {
  while (true) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic shift keeps the sign
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    u8(done ? b : b | 0x80);
    if (done) return;
  }
}

void ByteWriter::fixed(uint64_t v, int n) {
  for (int i = 0; i < n; ++i) u8(uint8_t(v >> (8 * i)));
}

void ByteWriter::name(std::string_view s) {
  u32(uint32_t(s.size()));
  raw(s);
}

void ByteWriter::val_type(ValType t) {
  // Numbers, vectors and the nullable abstract references are one byte (their shorthand).
  if (!is_ref(t) || (is_nullable(t) && !is_concrete(t))) return u8(uint8_t(uint32_t(t)));
  u8(is_nullable(t) ? 0x63 : 0x64);
  heap_type(t);
}

void ByteWriter::heap_type(ValType t) {
  if (is_concrete(t)) return s64(ref_type_index(t));
  u8(uint8_t(heap_kind(t)));
}

void ByteWriter::func_type(const FuncType& t) {
  u8(0x60);
  u32(uint32_t(t.params.size()));
  for (ValType v : t.params) val_type(v);
  u32(uint32_t(t.results.size()));
  for (ValType v : t.results) val_type(v);
}

void ByteWriter::field_type(const FieldType& f) {
  if (f.packed != Packed::None) {
    u8(uint8_t(f.packed));
  } else {
    val_type(f.type);
  }
  u8(f.mut ? 1 : 0);
}

void ByteWriter::u64(uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    u8(b);
  } while (v);
}

void ByteWriter::limits(const Limits& l, AddrType addr) {
  u8(uint8_t((l.max ? 0x01 : 0x00) | (addr == AddrType::I64 ? 0x04 : 0x00)));
  u64(l.min);
  if (l.max) u64(*l.max);
}

namespace {

enum SectionId : uint8_t {
  kCustom = 0,
  kType,
  kImport,
  kFunction,
  kTable,
  kMemory,
  kGlobal,
  kExport,
  kStart,
  kElement,
  kCode,
  kData,
  kDataCount,
  kTag,
};

void section(ByteWriter& out, SectionId id, const ByteWriter& body) {
  out.u8(id);
  out.u32(uint32_t(body.bytes().size()));
  out.raw(body.bytes());
}

void vector_section(ByteWriter& out, SectionId id, const std::vector<Bytes>& entries) {
  if (entries.empty()) return;
  ByteWriter body;
  body.u32(uint32_t(entries.size()));
  for (const Bytes& e : entries) body.raw(e);
  section(out, id, body);
}

}  // namespace

Bytes ModuleSections::encode() const {
  static const TypeDefText kPlainType;
  ByteWriter out;
  out.raw(std::string_view("\0asm\1\0\0\0", 8));
  if (!types.empty()) {
    ByteWriter body;
    // One entry per rec group (explicit or implied).
    uint32_t entries = 0;
    for (size_t i = 0; i < types.size(); ++i) {
      const TypeDefText& d = i < type_defs.size() ? type_defs[i] : kPlainType;
      if (d.starts_rec) {
        body.u8(0x4E);
        body.u32(d.group_size);
      }
      if (d.starts_rec || d.group_size == 1) ++entries;
      if (d.sub) {
        body.u8(d.final ? 0x4F : 0x50);
        body.u32(uint32_t(d.supertypes.size()));
        for (uint32_t s : d.supertypes) body.u32(s);
      }
      switch (d.kind) {
        case CompositeKind::Func:
          body.func_type(types[i]);
          break;
        case CompositeKind::Struct:
          body.u8(0x5F);
          body.u32(uint32_t(d.fields.size()));
          for (const FieldType& f : d.fields) body.field_type(f);
          break;
        case CompositeKind::Array:
          body.u8(0x5E);
          body.field_type(d.fields.empty() ? FieldType{} : d.fields[0]);
          break;
      }
    }
    ByteWriter counted;
    counted.u32(entries);
    counted.raw(body.bytes());
    body = std::move(counted);
    section(out, kType, body);
  }
  vector_section(out, kImport, imports);
  if (!funcs.empty()) {
    ByteWriter body;
    body.u32(uint32_t(funcs.size()));
    for (uint32_t t : funcs) body.u32(t);
    section(out, kFunction, body);
  }
  vector_section(out, kTable, tables);
  vector_section(out, kMemory, memories);
  vector_section(out, kTag, tags);
  vector_section(out, kGlobal, globals);
  vector_section(out, kExport, exports);
  if (start) {
    ByteWriter body;
    body.u32(*start);
    section(out, kStart, body);
  }
  vector_section(out, kElement, elems);
  if (needs_data_count) {
    ByteWriter body;
    body.u32(uint32_t(datas.size()));
    section(out, kDataCount, body);
  }
  vector_section(out, kCode, codes);
  vector_section(out, kData, datas);
  if (!func_names.empty()) {
    ByteWriter names;  // the function names subsection (appendix/custom.rst)
    names.u32(uint32_t(func_names.size()));
    for (const auto& [index, name] : func_names) {
      names.u32(index);
      names.name(name);
    }
    ByteWriter body;
    body.name("name");
    body.u8(1);
    body.u32(uint32_t(names.bytes().size()));
    body.raw(names.bytes());
    section(out, kCustom, body);
  }
  return out.take();
}

}  // namespace tern::text
