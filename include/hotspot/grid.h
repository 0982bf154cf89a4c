// Grid: a raster in the working CRS, shared by KDE, cell counts and Gi*.
#pragma once

#include <cmath>
#include <vector>

namespace hotspot {

// Row 0 is the NORTH row (as GeoTIFF stores it). Cell (col, row) covers
// [x0 + col*cell, x0 + (col+1)*cell] x [y_top - (row+1)*cell, y_top - row*cell].
// NaN marks nodata (outside the study area).
struct Grid {
  double x0 = 0;      // west edge, metres
  double y0 = 0;      // south edge, metres
  double cell = 1;    // cell side, metres
  int nx = 0, ny = 0;
  std::vector<double> values;  // ny * nx, row-major from the north row

  double y_top() const { return y0 + ny * cell; }
  double centre_x(int col) const { return x0 + (col + 0.5) * cell; }
  double centre_y(int row) const { return y_top() - (row + 0.5) * cell; }
  double& at(int col, int row) { return values[size_t(row) * size_t(nx) + size_t(col)]; }
  double at(int col, int row) const { return values[size_t(row) * size_t(nx) + size_t(col)]; }
  size_t size() const { return values.size(); }
  // Column/row of a point, or -1 when outside.
  int col_of(double x) const {
    const double f = std::floor((x - x0) / cell);
    return f >= 0 && f < nx ? int(f) : -1;
  }
  int row_of(double y) const {
    const double f = std::floor((y_top() - y) / cell);
    return f >= 0 && f < ny ? int(f) : -1;
  }
};

}  // namespace hotspot
