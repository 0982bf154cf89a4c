#include "report/manifest.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include <openssl/evp.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <geos_c.h>
#include <nlohmann/json.hpp>
#include <proj.h>

#include "geo/crs.h"
#include "io/incident_batch.h"
#include "io/pg_conn.h"
#include "pipeline/change_run.h"
#include "hotspot/shareable_path.h"
#include "stats/area_stats.h"
#include "stats/disclosure.h"

namespace hotspot::report {
namespace {

using nlohmann::ordered_json;

std::vector<std::string> input_files(const RunSpec& spec) {
  std::set<std::string> files;
  for (const IncidentSource& s : spec.incidents)
    for (const std::string& f : io::incident_files(s)) files.insert(f);  // the files the readers read
  for (const AreaSource& a : spec.areas) {
    if (!a.paths.empty())
      for (const std::string& f : io::expand_paths(a.paths, {".geojson", ".json", ".gpkg", ".shp"})) files.insert(f);
    if (a.population) files.insert(a.population->path);
    if (a.dissolve) files.insert(a.dissolve->lookup_path);
  }
  for (const ContextSpec& c : spec.report.context) files.insert(c.path);  // [[context]] layers
  return {files.begin(), files.end()};
}

// k > 0 (public): counts through LayerLedger::shown, as text where withheld.
ordered_json ledger_json(const Ledger& g, int64_t k, const std::string& marker) {
  ordered_json j{{"rows_read", g.rows_read}, {"accepted", g.accepted}, {"rejected", g.rejected},
                 {"reconciles", g.reconciles()}};
  for (const auto& [reason, n] : g.rejected_by_reason) j["rejected_by_reason"][std::string(to_string(reason))] = n;
  for (const LayerLedger& l : g.layers) {
    ordered_json layer{{"matched", l.matched}, {"unmatched", l.unmatched}, {"in_overlapping_areas", l.multiple}};
    const LayerLedger::Shown s = l.shown(k, marker);
    if (s.unmatched == marker || s.multiple == marker)
      layer = {{"matched", s.matched}, {"unmatched", s.unmatched}, {"in_overlapping_areas", s.multiple}};
    if (l.has_agreement && k == 0)
      layer["recorded_vs_spatial"] = {{"compared", l.agreement.compared}, {"agree", l.agreement.agree},
                                      {"disagree", l.agreement.disagree}};
    j["layers"][l.layer] = layer;
  }
  j["warnings"] = g.warnings;
  return j;
}

}  // namespace

std::string sha256_file(const std::string& path) {
  // OpenSSL's EVP digest: GDAL's own SHA-256 is not in Debian's public headers.
  VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
  if (!f) throw InputError(path + ": cannot open to checksum");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  std::vector<char> buf(1 << 20);
  size_t n;
  while (ok && (n = VSIFReadL(buf.data(), 1, buf.size(), f)) > 0) ok = EVP_DigestUpdate(ctx.get(), buf.data(), n) == 1;
  VSIFCloseL(f);
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), hash, &len) != 1) throw InputError(path + ": SHA-256 failed");
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(two, sizeof two, "%02x", hash[i]);
    hex += two;
  }
  return hex;
}

std::string without_folders(const std::string& toml) {
  std::string out =
      "# Public pack: input paths are file names only (no folders of the machine that made it);\n"
      "# put the inputs beside this file, or edit the paths, to rerun it.\n";
  // A quoted string that starts with '/' (on one line) keeps its last part.
  // (A loop, not std::regex: GCC 12 warns falsely on <regex> under the sanitizers.)
  for (size_t i = 0; i < toml.size(); ++i) {
    const char q = toml[i];
    out += q;
    if ((q != '"' && q != '\'') || i + 1 >= toml.size() || toml[i + 1] != '/') continue;
    const size_t end = toml.find_first_of(std::string(1, q) + "\n", i + 1);
    if (end == std::string::npos || toml[end] != q) continue;
    const std::string path = toml.substr(i + 1, end - i - 1);
    out += path.substr(path.rfind('/') + 1) + q;
    i = end;
  }
  return out;
}

std::string manifest_json(const RunSpec& spec, const RunResult& r, const std::string& config_toml) {
  ordered_json j;
  j["engine"] = std::string("hotspot ") + HOTSPOT_VERSION;
  j["libraries"] = {{"gdal", GDALVersionInfo("RELEASE_NAME")}, {"geos", GEOSversion()}, {"proj", proj_info().release}};
  j["working_crs"] = geo::crs_label(r.working_crs);
  const bool pub = spec.stats.public_mode;
  // No absolute path of the machine that made the pack (as in run.toml).
  for (const IncidentSource& s : spec.incidents)  // database tables: named, no bytes to checksum
    for (const std::string& p : s.paths)
      if (io::is_pg_connection(p)) {
        ordered_json in{{"path", io::postgis_source_name(p, s.layer_name)}};
        if (!s.sql.empty()) in["sql"] = s.sql;
        j["inputs"].push_back(in);
      }
  for (const std::string& f : input_files(spec))
    if (!io::is_pg_connection(f)) j["inputs"].push_back({{"path", shareable_path(f, spec.output.dir, pub)},
                           {"bytes", std::filesystem::file_size(f)},
                           {"sha256", sha256_file(f)}});
  if (r.stats) {
    j["statistics"] = {{"current_period", r.stats->current.label},
                       {"current_dates", stats::day_label(r.stats->current.first_day) + " to " +
                                             stats::day_label(r.stats->current.last_day)},
                       {"previous_period", r.stats->previous.label},
                       {"previous_dates", stats::day_label(r.stats->previous.first_day) + " to " +
                                              stats::day_label(r.stats->previous.last_day)},
                       {"data_months", r.stats->data_months},
                       {"extracted", spec.stats.extracted.empty() ? "not stated" : spec.stats.extracted},
                       {"headline", spec.stats.headline},
                       {"rate_per", spec.stats.rate_per},
                       {"comparator", spec.stats.comparator_rate >= 0 ? "given rate" : "study area"},
                       {"comparator_rate", spec.stats.comparator_rate},
                       {"disclosure", spec.stats.public_mode ? "public" : "restricted"},
                       {"suppress_below", spec.stats.suppress_below},
                       {"notes", r.stats->notes}};
  }
  if (r.disclosure) {
    const stats::Disclosure& d = *r.disclosure;
    j["disclosure_audit"] = {
        {"withheld_values", d.hidden},
        {"exact_sums_audited", d.sums},
        {"rule", "every withheld count of 1.." + std::to_string(d.rule.k) + " keeps a range of at least " +
                     std::to_string(d.rule.min_values) + " whole numbers that holds 0 or spans 1.." +
                     std::to_string(d.rule.k) + ", against every published sum at once"},
        {"rounds", d.audit_rounds},
        {"hidden_by_audit", d.hidden_by_audit},
        {"exposed_before_audit", d.exposed_first},
        {"exposed_after", int64_t(d.audit.exposed.size())},
        {"linear_programmes", d.audit.programs},
        {"blocks", d.audit.blocks},
        {"solver", stats::audit_solver()},
        {"seconds", d.audit.seconds}};
  }
  for (const Surface& s : r.surfaces) {
    ordered_json p;
    for (const auto& [k, v] : s.parameters) p[k] = v;
    j["surfaces"].push_back(p);
  }
  // [[change.surfaces]]: every choice and figure (a pack's: on the pack's area).
  for (const auto& c : r.change) {
    ordered_json p;
    for (const auto& [k, v] : c->parameters) p[k] = v;
    for (const std::string& w : c->warnings) p["warnings"].push_back(w);
    j["change_surfaces"].push_back(p);
  }
  j["ledger"] = ledger_json(r.ledger, pub ? spec.stats.suppress_below : 0, spec.stats.marker);
  j["config_toml"] = config_toml;  // a public pack's is already without folders (batch.cpp)
  return j.dump(2);
}

std::string with_outputs(const std::string& manifest, const std::vector<OutputFile>& files) {
  ordered_json j = ordered_json::parse(manifest);
  j["outputs"] = ordered_json::array();
  for (const OutputFile& f : files)
    j["outputs"].push_back({{"file", f.name},
                            {"bytes", std::filesystem::file_size(f.path)},
                            {"sha256", sha256_file(f.path)},
                            {"scope", f.scope}});
  return j.dump(2);
}

}  // namespace hotspot::report
