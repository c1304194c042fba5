// SPDX-License-Identifier: GPL-2.0
//
// Constants of the minimal test AFU.  Kept in a package in its own file,
// named to sort after afu.sv, so that building this directory proves the
// bridge puts package files first.
package minimal_pkg;

  localparam logic [0:7] JCOM_START = 8'h90;
  localparam logic [0:7] JCOM_RESET = 8'h80;
  localparam logic [0:12] COM_INTREQ = 13'h0000;

  // The interrupt raised on start: LISN 1, with this command tag.
  localparam logic [0:63] IRQ_LISN = 64'd1;
  localparam logic [0:7] IRQ_TAG = 8'h2a;

  // AFU descriptor (word addresses): one interrupt, one process,
  // dedicated process model; a problem state area, no per-process areas.
  localparam logic [0:63] DESC_00 = 64'h0001_0001_0000_0010;
  localparam logic [0:63] DESC_30 = 64'h0100_0000_0000_0000;

`ifdef MINIMAL_MAGIC
  localparam logic [0:63] MAGIC = `MINIMAL_MAGIC;
`else
  localparam logic [0:63] MAGIC = 64'h4d49_4e49_4d41_4c21;  // "MINIMAL!"
`endif

  // Problem state registers, byte offsets.
  localparam logic [0:25] PSA_WED = 26'h00;	// read: the WED of the running job
  localparam logic [0:25] PSA_MAGIC = 26'h08;	// read: MAGIC
  localparam logic [0:25] PSA_IRQ = 26'h10;	// read: 0x100 | response code once answered
  localparam logic [0:25] PSA_DONE = 26'h18;	// write: end the job, the value as ah_jerror
  localparam logic [0:25] PSA_SCRATCH = 26'h20;	// read/write
  localparam logic [0:25] PSA_BUF = 26'h100;	// read: the buffer, 16 doublewords

  // Odd parity: the bit that makes the count of ones odd.
  function automatic logic odd_parity(input logic [0:63] v);
    return ~^v;
  endfunction

endpackage
