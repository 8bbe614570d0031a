// A tiny design for the Yosys-on-Tern test: a 4-bit up-counter with synchronous reset and
// enable, plus a combinational flag when it wraps.
module top (
    input wire clk,
    input wire rst,
    input wire en,
    output reg [3:0] count,
    output wire wrap
);
  always @(posedge clk)
    if (rst) count <= 4'd0;
    else if (en) count <= count + 4'd1;

  assign wrap = en & (count == 4'hf);
endmodule
