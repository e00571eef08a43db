// Medicare Physician Fee Schedule inputs: relative values and GPCIs.
#ifndef OPENENCODER_LIBS_CODE_SETS_MODEL_FEE_SCHEDULE_H_
#define OPENENCODER_LIBS_CODE_SETS_MODEL_FEE_SCHEDULE_H_

#include <string>

namespace openencoder::catalogue {

// One PPRRVU row: a code, optionally with modifier 26, TC or 53.
struct RvuRow {
  std::string code;
  std::string modifier;     // "" for the global service.
  std::string status_code;  // A, R, T are payable; see the PFS documentation.
  double work_rvu = 0;
  double non_facility_pe_rvu = 0;
  double facility_pe_rvu = 0;
  double mp_rvu = 0;
  double non_facility_total = 0;
  double facility_total = 0;
  std::string pctc_indicator;
  std::string global_days;  // "000", "010", "090", "XXX", "YYY", "ZZZ".
  std::string multiple_procedure;
  std::string bilateral_surgery;
  std::string assistant_surgery;
  std::string co_surgery;
  std::string team_surgery;
  double conversion_factor = 0;  // 0 when the file has none.
};

// Geographic practice cost indices of one Medicare locality.
struct Gpci {
  std::string mac;  // Medicare administrative contractor.
  std::string state;
  std::string locality_number;  // Two digits, unique within a MAC.
  std::string locality_name;
  double work = 0;
  double pe = 0;
  double mp = 0;
};

}  // namespace openencoder::catalogue

#endif  // OPENENCODER_LIBS_CODE_SETS_MODEL_FEE_SCHEDULE_H_
