// How the decoder and the validator word a construct of a proposal that Config::features has
// switched off, so every such error names the proposal and the switch that enables it.
#pragma once

#include <string>
#include <string_view>

namespace tern {

// "<construct> requires the <proposal> proposal (-W <flag>), which is not enabled", e.g.
// construct "tag section (id 13)", proposal "exception handling", flag "exceptions".
inline std::string feature_disabled_message(std::string_view construct, std::string_view proposal,
                                            std::string_view flag) {
  std::string msg(construct);
  msg += " requires the ";
  msg += proposal;
  msg += " proposal (-W ";
  msg += flag;
  msg += "), which is not enabled";
  return msg;
}

}  // namespace tern
