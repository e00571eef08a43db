#include "services/catalogue/store/catalogue_loader.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <utility>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/code_sets/importers/fee_calculator.h"
#include "libs/code_sets/importers/icd10_order_importer.h"
#include "libs/code_sets/model/code_format.h"
#include "services/catalogue/store/file_kinds.h"

namespace openencoder::catalogue {

const char kHcpcsDisclaimer[] =
    "HCPCS Level II is maintained by CMS and is in the public domain. "
    "Inclusion or exclusion of a procedure, supply, product or service does "
    "not imply any health insurance coverage or reimbursement policy. Brand "
    "names are for indexing only.";

namespace {

struct LoadedFile {
  const ManifestEntry* entry = nullptr;
  absl::Status status;
  ImportReport report;
  FileData data;
};

CodeSystem SystemOf(FileKind kind) { return FileKindRow(kind).system; }

Edition EditionOf(const ManifestEntry& e) {
  return Edition{SystemOf(e.kind), e.edition_id, e.edition_label, e.effective_date, e.path};
}

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Publisher and licence wording per kind of source (file_kinds.cc).
void DescribeSource(const ManifestEntry& e, EditionInfo* info) {
  const FileKindInfo& row = FileKindRow(e.kind);
  const absl::string_view publisher = row.publisher;
  info->notice = std::string(e.demo && !row.demo_notice.empty() ? row.demo_notice : row.notice);
  info->source = absl::StrCat(publisher, " ", e.edition_label, " (", Basename(e.path), ")");
  if (e.demo) {
    absl::StrAppend(&info->source, ", OpenEncoder demo data set");
  }
}

// Imports one file (an addenda file is applied to `order`, which its task
// imported just before).
void ImportOne(const ManifestEntry& e, LoadedFile* out, CodeSetImport* order) {
  out->entry = &e;
  Edition edition = EditionOf(e);
  const FileKindInfo& row = FileKindRow(e.kind);
  if (row.role == FileRole::kAddenda) {
    if (order == nullptr) {
      // The order file before it failed (its error is reported first);
      // there is nothing to apply the changes to.
      out->status = absl::FailedPreconditionError("its order file did not load");
      return;
    }
    absl::StatusOr<ImportReport> r = ApplyIcd10OrderAddenda(e.path, order);
    if (!r.ok()) {
      out->status = r.status();
    } else {
      out->report = *std::move(r);
    }
    return;
  }
  ImportedFile imported;
  out->status = row.import(e, edition, &imported);
  if (out->status.ok()) {
    out->report = std::move(imported.report);
    out->data = std::move(imported.data);
  }
}

// A group of files imported one after the other on one thread.
struct Task {
  std::vector<size_t> entries;
  int64_t bytes = 0;
};

// The file's size, and its modification time in nanoseconds: a file
// rewritten within the same second (a quick edit before a reload) must still
// give a new snapshot id.
int64_t FileSize(const std::string& path, int64_t* mtime_ns) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return 0;
  if (mtime_ns != nullptr) {
    *mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                static_cast<int64_t>(st.st_mtim.tv_nsec);
  }
  return static_cast<int64_t>(st.st_size);
}

absl::StatusOr<std::vector<Task>> PlanTasks(const Manifest& manifest) {
  std::vector<Task> tasks;
  absl::flat_hash_map<int, size_t> order_task;   // system slot -> task
  absl::flat_hash_map<int, FileKind> code_file;  // one code file per system
  for (size_t i = 0; i < manifest.entries.size(); ++i) {
    const ManifestEntry& e = manifest.entries[i];
    const int slot = static_cast<int>(SystemOf(e.kind));
    const FileRole role = FileKindRow(e.kind).role;
    const bool codes = role == FileRole::kOrder || role == FileRole::kCodes;
    if (codes) {
      if (code_file.contains(slot)) {
        return absl::FailedPreconditionError(absl::StrCat(
            manifest.path, ":", e.line, ": a second code file for ",
            CodeSystemLabel(SystemOf(e.kind)), "; a manifest loads one edition per code set"));
      }
      code_file[slot] = e.kind;
    }
    if (role == FileRole::kAddenda) {
      auto it = order_task.find(slot);
      if (it == order_task.end()) {
        return absl::FailedPreconditionError(absl::StrCat(
            manifest.path, ":", e.line, ": an addenda file must follow its order file"));
      }
      tasks[it->second].entries.push_back(i);
      tasks[it->second].bytes += FileSize(e.path, nullptr);
      continue;
    }
    if (role == FileRole::kOrder) {
      order_task[slot] = tasks.size();
    }
    tasks.push_back(Task{{i}, FileSize(e.path, nullptr)});
  }
  // Largest first, so the two big order files start at once.
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const Task& a, const Task& b) { return a.bytes > b.bytes; });
  return tasks;
}

std::string SnapshotId(const Manifest& manifest) {
  // Derived from the files, not the clock, so replicas that load the same
  // files report the same id and search indexes are not rebuilt for nothing.
  // The edition ids and dates are part of it: a manifest that only relabels
  // the same files is a new snapshot too.
  std::string key = manifest.path;
  for (const ManifestEntry& e : manifest.entries) {
    int64_t mtime = 0;
    int64_t size = FileSize(e.path, &mtime);
    absl::StrAppend(&key, "|", e.path, "|", size, "|", mtime, "|", e.edition_id, "|",
                    e.edition_label, "|",
                    e.effective_date ? absl::FormatCivilTime(*e.effective_date) : "");
  }
  return absl::StrFormat("snap-%016x", std::hash<std::string>{}(key));
}

// Joins the imported files into snapshot parts.
class Assembler {
 public:
  Assembler(absl::CivilDay today, LoadResult* result) : today_(today), result_(result) {}

  int32_t EditionFor(const ManifestEntry& e) {
    auto it = edition_index_.find(e.edition_id);
    if (it != edition_index_.end()) return it->second;
    EditionInfo info;
    info.edition = EditionOf(e);
    info.kind = e.kind;
    info.demo = e.demo;
    DescribeSource(e, &info);
    const int32_t index = static_cast<int32_t>(parts_.editions.size());
    parts_.editions.push_back(std::move(info));
    edition_index_.emplace(e.edition_id, index);
    return index;
  }

  void Add(LoadedFile& file) {
    const ManifestEntry& e = *file.entry;
    const int32_t edition = EditionFor(e);
    std::visit([&](auto& data) { AddData(e, edition, data); }, file.data);
  }

  void Reserve(size_t codes) {
    parts_.codes.reserve(codes + 1024);  // Room for CPT codes of small tables.
    code_index_.reserve(codes + 1024);
  }

  SnapshotParts Finish() {
    ApplyCptStatus();
    ApplyNotes();
    ApplyIndexEntries();
    for (CodeEntry& c : parts_.codes) {
      if (c.record.termination_date && *c.record.termination_date < today_) {
        c.deleted = true;
      }
      if (c.record.change_status == ChangeStatus::kDeleted) c.deleted = true;
      if (c.family.empty() && c.record.system == CodeSystem::kCpt) {
        for (const CptRange& r : parts_.cpt_ranges) {
          if (InCptRange(r, c.record.code)) c.family = r.family;
        }
      }
    }
    LinkHierarchy();
    AddModifiers();
    return std::move(parts_);
  }

 private:
  void AddData(const ManifestEntry&, int32_t, std::monostate&) {}

  void AddCodes(std::vector<CodeRecord>& records, int32_t edition, bool demo) {
    for (CodeRecord& r : records) {
      auto key = std::make_pair(static_cast<int>(r.system), r.code);
      auto it = code_index_.find(key);
      if (it != code_index_.end()) {
        // ICD-9-CM short and long title files describe the same codes.
        CodeRecord& old = parts_.codes[it->second].record;
        if (old.short_title.empty()) old.short_title = std::move(r.short_title);
        if (old.long_title.empty()) old.long_title = std::move(r.long_title);
        continue;
      }
      CodeEntry entry;
      entry.record = std::move(r);
      entry.edition = edition;
      entry.demo = demo;
      code_index_.emplace(std::move(key), static_cast<int32_t>(parts_.codes.size()));
      parts_.codes.push_back(std::move(entry));
    }
  }

  void AddData(const ManifestEntry& e, int32_t edition, CodeSetImport& d) {
    if (e.kind == FileKind::kIcd9Titles) {
      for (CodeRecord& r : d.records) {
        r.billable = true;
        if (r.display_code.empty()) {
          r.display_code = FormatDisplayCode(r.system, r.code);
        }
      }
    }
    if (e.kind == FileKind::kCptLicensed) {
      for (CodeRecord& r : d.records) r.billable = true;
    }
    AddCodes(d.records, edition, e.demo);
  }
  void AddData(const ManifestEntry& e, int32_t edition, HcpcsImport& d) {
    AddCodes(d.codes, edition, e.demo);
    for (Modifier& m : d.modifiers) AddHcpcsModifier(std::move(m), edition);
  }
  void AddHcpcsModifier(Modifier m, int32_t edition) {
    std::string code = m.code;  // Read before the move below.
    hcpcs_modifiers_[code] = {std::move(m), edition};
  }
  void AddData(const ManifestEntry&, int32_t edition, ModifierImport& d) {
    // A modifier table newer than the code file replaces its modifiers.
    for (Modifier& m : d.modifiers) AddHcpcsModifier(std::move(m), edition);
  }
  void AddData(const ManifestEntry&, int32_t edition, CodeNoteImport& d) {
    for (CodeNote& n : d.notes) notes_.push_back(std::move(n));
    parts_.notes_edition = edition;
  }
  void AddData(const ManifestEntry& e, int32_t edition, CptStatusImport& d) {
    cpt_status_edition_ = edition;
    cpt_status_demo_ = e.demo;
    cpt_status_ = std::move(d.rows);
  }
  void AddData(const ManifestEntry&, int32_t, CptRangeImport& d) {
    parts_.cpt_ranges = std::move(d.ranges);
  }
  void AddData(const ManifestEntry&, int32_t edition, CptModifierImport& d) {
    for (CptModifierRow& m : d.modifiers) {
      ModifierEntry entry;
      entry.system = CodeSystem::kCpt;
      entry.code = std::move(m.code);
      entry.name = std::move(m.name);
      entry.description = std::move(m.explanation);
      entry.edition = edition;
      cpt_modifiers_.push_back(std::move(entry));
    }
  }
  void AddData(const ManifestEntry&, int32_t edition, PtpImport& d) {
    parts_.ptp = std::move(d.edits);
    parts_.ptp_edition = edition;
  }
  void AddData(const ManifestEntry&, int32_t edition, MueImport& d) {
    parts_.mue = std::move(d.edits);
    parts_.mue_edition = edition;
  }
  void AddData(const ManifestEntry& e, int32_t edition, GemImport& d) {
    (e.kind == FileKind::kGemI9ToI10 ? parts_.gems_i9_to_i10 : parts_.gems_i10_to_i9) =
        std::move(d.mappings);
    parts_.gem_edition = edition;
  }
  void AddData(const ManifestEntry& e, int32_t edition, RvuImport& d) {
    parts_.rvus = std::move(d.rows);
    parts_.conversion_factor =
        d.conversion_factor > 0 ? d.conversion_factor : kCy2024ConversionFactor;
    parts_.fee_year = e.effective_date ? static_cast<int>(e.effective_date->year()) : 2024;
    parts_.fee_edition = edition;
  }
  void AddData(const ManifestEntry&, int32_t, GpciImport& d) {
    parts_.localities = std::move(d.localities);
  }
  void AddData(const ManifestEntry&, int32_t edition, TabularImport& d) {
    parts_.tabular = std::move(d.nodes);
    parts_.tabular_edition = edition;
  }
  void AddData(const ManifestEntry&, int32_t edition, AlphabeticIndexImport& d) {
    index_entries_ = std::move(d.entries);
    parts_.index_edition = edition;
  }

  CodeEntry* FindOrAddCpt(const std::string& code, int32_t edition, bool demo) {
    auto key = std::make_pair(static_cast<int>(CodeSystem::kCpt), code);
    auto it = code_index_.find(key);
    if (it != code_index_.end()) return &parts_.codes[it->second];
    CodeEntry entry;
    entry.record.system = CodeSystem::kCpt;
    entry.record.code = code;
    entry.record.display_code = code;
    entry.record.billable = true;
    entry.edition = edition;
    entry.demo = demo;
    if (const EditionInfo* info = edition >= 0 ? &parts_.editions[edition] : nullptr) {
      entry.record.edition_id = info->edition.id;
    }
    code_index_.emplace(std::move(key), static_cast<int32_t>(parts_.codes.size()));
    parts_.codes.push_back(std::move(entry));
    return &parts_.codes.back();
  }

  void ApplyCptStatus() {
    for (CptStatusRow& row : cpt_status_) {
      CodeEntry* e = FindOrAddCpt(row.code, cpt_status_edition_, cpt_status_demo_);
      e->record.effective_date = row.effective_date;
      e->record.added_date = row.effective_date;
      if (row.deleted) {
        e->record.termination_date = row.deleted_date;
        e->record.change_status = ChangeStatus::kDeleted;
        e->record.replacement_codes = std::move(row.replaced_by);
        e->deleted = true;
      }
    }
  }

  void ApplyNotes() {
    int unknown = 0;
    std::string first_unknown;
    for (CodeNote& n : notes_) {
      auto it = code_index_.find(std::make_pair(static_cast<int>(n.system), n.code));
      if (it == code_index_.end()) {
        if (unknown++ == 0) {
          first_unknown = absl::StrCat(CodeSystemName(n.system), ":", n.code);
        }
        continue;
      }
      CodeEntry& e = parts_.codes[it->second];
      e.plain_language = std::move(n.plain_language);
      e.lay_terms = std::move(n.lay_terms);
      e.family = std::move(n.family);
    }
    if (unknown > 0) {
      // Expected with a partial manifest; notes never create codes.
      result_->warnings.push_back(absl::StrCat(
          unknown, " code notes name codes that are not loaded (first: ", first_unknown, ")"));
    }
  }

  // Hangs each index entry on its code. The index edition may be older than
  // the code set (FY2023 index, FY2026 codes): entries naming codes deleted
  // since are counted, never attached to a neighbour.
  void ApplyIndexEntries() {
    int unknown = 0;
    std::string first_unknown;
    for (CodeIndexEntry& e : index_entries_) {
      auto it = code_index_.find(std::make_pair(static_cast<int>(CodeSystem::kIcd10Cm), e.code));
      if (it == code_index_.end()) {
        if (unknown++ == 0) first_unknown = e.code;
        continue;
      }
      std::vector<IndexEntry>& entries = parts_.codes[it->second].index_entries;
      // The same path can reach a code twice (a code and a see reference).
      if (std::find(entries.begin(), entries.end(), e.entry) == entries.end()) {
        entries.push_back(std::move(e.entry));
      }
    }
    if (unknown > 0) {
      result_->warnings.push_back(absl::StrCat(unknown,
                                               " index entries name ICD-10-CM codes that are "
                                               "not loaded (first: ",
                                               first_unknown, ")"));
    }
    index_entries_.clear();
    index_entries_.shrink_to_fit();
  }

  void LinkHierarchy() {
    for (int32_t i = 0; i < static_cast<int32_t>(parts_.codes.size()); ++i) {
      CodeEntry& e = parts_.codes[i];
      if (e.record.parent_code.empty()) continue;
      auto it =
          code_index_.find(std::make_pair(static_cast<int>(e.record.system), e.record.parent_code));
      if (it == code_index_.end()) continue;
      e.parent = it->second;
      parts_.codes[it->second].children.push_back(i);
    }
  }

  void AddModifiers() {
    std::vector<std::string> codes;
    for (const auto& [code, unused] : hcpcs_modifiers_) codes.push_back(code);
    std::sort(codes.begin(), codes.end());
    for (const std::string& code : codes) {
      auto& [m, edition] = hcpcs_modifiers_[code];
      ModifierEntry entry;
      entry.system = CodeSystem::kHcpcs;
      entry.code = m.code;
      entry.name = m.short_description;
      entry.description = m.long_description;
      entry.effective_date = m.effective_date;
      entry.termination_date = m.termination_date;
      entry.edition = edition;
      parts_.modifiers.push_back(std::move(entry));
    }
    for (ModifierEntry& m : cpt_modifiers_) parts_.modifiers.push_back(std::move(m));
    for (ModifierEntry& m : parts_.modifiers) {
      m.ncci_associated = IsNcciAssociatedModifier(m.code);
      if (m.ncci_associated) {
        m.when_to_use =
            "NCCI-associated: may bypass a procedure-to-procedure edit whose "
            "modifier indicator is 1, when the documentation supports a "
            "separate service.";
      }
    }
  }

  absl::CivilDay today_;
  LoadResult* result_;
  SnapshotParts parts_;
  absl::flat_hash_map<std::string, int32_t> edition_index_;
  absl::flat_hash_map<std::pair<int, std::string>, int32_t> code_index_;
  absl::flat_hash_map<std::string, std::pair<Modifier, int32_t>> hcpcs_modifiers_;
  std::vector<ModifierEntry> cpt_modifiers_;
  std::vector<CodeNote> notes_;
  std::vector<CodeIndexEntry> index_entries_;
  std::vector<CptStatusRow> cpt_status_;
  int32_t cpt_status_edition_ = -1;
  bool cpt_status_demo_ = false;
};

}  // namespace

absl::StatusOr<LoadResult> LoadCatalogue(const Manifest& manifest, const LoadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // The id describes the files as they were before reading them: a file
  // replaced during the load makes the next load's id differ, so a reload
  // then picks the change up (and so does the search service).
  const std::string snapshot_id = SnapshotId(manifest);
  absl::StatusOr<std::vector<Task>> tasks = PlanTasks(manifest);
  if (!tasks.ok()) return tasks.status();

  std::vector<LoadedFile> files(manifest.entries.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t t; (t = next.fetch_add(1)) < tasks->size();) {
      CodeSetImport* order = nullptr;
      for (size_t i : (*tasks)[t].entries) {
        ImportOne(manifest.entries[i], &files[i], order);
        if (auto* codes = std::get_if<CodeSetImport>(&files[i].data)) {
          order = codes;
        }
      }
    }
  };
  const int threads = std::max(1, options.threads);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  LoadResult result;
  for (LoadedFile& f : files) {
    if (!f.status.ok()) {
      return absl::Status(f.status.code(), absl::StrCat(FileKindName(f.entry->kind), " file ",
                                                        f.entry->path, ": ", f.status.message()));
    }
  }
  const absl::CivilDay today =
      options.today.value_or(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  SnapshotParts parts;
  {
    // Scoped so the assembler's own index is freed before the snapshot
    // builds its indexes: the peak resident size is what the 300 MB budget
    // is about.
    Assembler assembler(today, &result);
    size_t codes = 0;
    for (const LoadedFile& f : files) {
      if (auto* d = std::get_if<CodeSetImport>(&f.data)) codes += d->records.size();
      if (auto* d = std::get_if<HcpcsImport>(&f.data)) codes += d->codes.size();
    }
    assembler.Reserve(codes);
    for (LoadedFile& f : files) {
      result.files.push_back({*f.entry, f.report});
      result.rows_read += f.report.rows_read;
      result.rows_rejected += static_cast<int64_t>(f.report.rejected.size());
      assembler.Add(f);
      f.data = std::monostate();  // Free the file's records as soon as used.
    }
    files.clear();
    parts = assembler.Finish();
  }
  parts.snapshot_id = snapshot_id;
  result.snapshot = std::make_shared<const CatalogueSnapshot>(std::move(parts));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

absl::StatusOr<LoadResult> LoadCatalogueFromManifest(const std::string& manifest_path,
                                                     const LoadOptions& options) {
  absl::StatusOr<Manifest> manifest = ReadManifest(manifest_path, options.variables);
  if (!manifest.ok()) return manifest.status();
  return LoadCatalogue(*manifest, options);
}

}  // namespace openencoder::catalogue
