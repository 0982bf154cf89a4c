#include "report/print.h"

namespace hotspot::report {

std::string marking(bool public_mode) { return public_mode ? "PUBLIC" : "RESTRICTED"; }

std::string print_css(bool public_mode) {
  const std::string mark = marking(public_mode);
  const std::string colour = public_mode ? "#05612c" : "#a00";
  // Margins leave room for the boxes: 10 mm above and below the text.
  return "\n@page { size: A4; margin: 14mm 12mm 14mm 12mm;\n"
         "  @top-center { content: \"" + mark + "\"; font: bold 10pt \"DejaVu Sans\", Arial, sans-serif; "
         "letter-spacing: .12em; color: " + colour + "; }\n"
         "  @bottom-left { content: \"" + mark + "\"; font: bold 8pt \"DejaVu Sans\", Arial, sans-serif; "
         "color: " + colour + "; }\n"
         "  @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); "
         "font: 8pt \"DejaVu Sans\", Arial, sans-serif; color: #333; }\n}\n"
         "tbody.block { break-inside: avoid; }\n";
}

}  // namespace hotspot::report
