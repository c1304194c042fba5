// SPDX-License-Identifier: GPL-2.0
//
// The RTL memcpy AFU's constants: the CAPI 1.0 codes it uses, its tags,
// and the host interface it shares with the C memcpy (sim/afu/memcpy.h,
// docs/afu-guide.md): work element layout, status word, PSA registers.
package memcpy_pkg;

  // Source lines in flight per copy (a power of two).
  localparam int WIN = 16;
  localparam int WIN_BITS = $clog2(WIN);
  // Tags: WIN read slots (line % WIN), WIN write tags, the control tag
  // (work element, status, interrupt) and the restart tag.
  localparam int NTAGS = 2 * WIN + 2;
  localparam int TAG_BITS = $clog2(NTAGS);
  localparam logic [0:7] TAG_WR0 = 8'(WIN);
  localparam logic [0:7] TAG_CTL = 8'(2 * WIN);
  localparam logic [0:7] TAG_RESTART = 8'(2 * WIN + 1);
  // Contexts: AFU-directed mode serves this many (dedicated: context 0).
  localparam int NPROC = 16;
  localparam int NPROC_BITS = $clog2(NPROC);

  localparam logic [0:7] JCOM_START = 8'h90;
  localparam logic [0:7] JCOM_RESET = 8'h80;
  localparam logic [0:7] JCOM_LLCMD = 8'h45;
  localparam logic [0:15] LLCMD_TERMINATE = 16'h0001;
  localparam logic [0:15] LLCMD_REMOVE = 16'h0002;
  localparam logic [0:15] LLCMD_ADD = 16'h0005;

  localparam logic [0:12] COM_READ_CL_NA = 13'h0A00;
  localparam logic [0:12] COM_WRITE_NA = 13'h0D00;
  localparam logic [0:12] COM_INTREQ = 13'h0000;
  localparam logic [0:12] COM_RESTART = 13'h0001;

  localparam logic [0:7] RESP_DONE = 8'h00;
  localparam logic [0:7] RESP_FLUSHED = 8'h06;
  localparam logic [0:7] RESP_PAGED = 8'h0A;

  // AFU descriptor: interrupts per process, processes, no CRs, both
  // programming models; a PSA with one 4 KB slice per process.
  localparam logic [0:63] DESC_00 = {16'd1, 16'(NPROC), 16'd0, 16'h0014};
  localparam logic [0:63] DESC_30 = 64'h0300_0000_0000_0001;

  // Work element: one 128-byte line, little-endian fields (byte offsets).
  localparam int WE_CTL = 0;
  localparam int WE_LISN = 4;
  localparam int WE_SRC = 8;
  localparam int WE_DST = 16;
  localparam int WE_LEN = 24;
  localparam int WE_STATUS = 32;
  localparam int WE_ERR_EA = 40;
  localparam int WE_NEXT = 48;
  localparam logic [0:31] CTL_VALID = 32'h1;
  localparam logic [0:31] CTL_IRQ = 32'h2;

  // Status word: outcome in bits 7:0 of the value; errors add the
  // response (15:8), the command (31:16) and the reason (39:32).
  localparam logic [0:63] ST_DONE = 64'h1;
  localparam logic [0:63] ST_ERROR = 64'h2;
  localparam logic [0:7] ERR_RESPONSE = 8'd1;
  localparam logic [0:7] ERR_BAD_WE = 8'd2;
  localparam logic [0:7] ERR_NOT_VALID = 8'd3;

  // Problem state registers of each context's 4 KB slice.
  localparam logic [0:11] PSA_WED = 12'h000;
  localparam logic [0:11] PSA_DOORBELL = 12'h008;
  localparam logic [0:11] PSA_STATUS = 12'h010;
  localparam logic [0:11] PSA_STATE = 12'h018;
  localparam logic [0:11] PSA_COUNT = 12'h020;

  // A context's state as PSA_STATE shows it (the C model's numbering).
  typedef enum logic [0:3] {
    CS_FREE = 4'd0,
    CS_IDLE = 4'd1,
    CS_FETCH = 4'd2,
    CS_POLL = 4'd3,
    CS_COPY = 4'd4,
    CS_STATUS = 4'd5,
    CS_IRQ = 4'd6,
    CS_ERROR = 4'd7,
    CS_TERM = 4'd8
  } ctx_state_e;

  // The copy engine, serving one context's chain at a time.
  typedef enum logic [0:3] {
    E_IDLE,		// nothing to do
    E_FETCH,		// issue the work element read
    E_FETCH_WAIT,
    E_COPY,		// reads and writes of the copy
    E_STATUS,		// issue the status write
    E_STATUS_WAIT,
    E_IRQ,		// issue intreq
    E_IRQ_WAIT,
    E_END		// the work element is over: next, or end of chain
  } eng_state_e;

  // Recovery beside the engine state: after PAGED/FLUSHED (reissue) or
  // an error (stop), wait for every command, restart, then go on.
  typedef enum logic [0:1] {
    R_NONE,
    R_DRAIN,
    R_RESTART,		// restart issued, waiting for its DONE
    R_REISSUE		// sending the commands put aside again
  } rec_state_e;

  function automatic logic odd_parity(input logic [0:63] v);
    return ~^v;
  endfunction

  function automatic logic [0:63] error_status(input logic [0:7] reason,
                                               input logic [0:7] resp,
                                               input logic [0:12] com);
    return {24'd0, reason, 3'd0, com, resp, ST_ERROR[56:63]};
  endfunction

  // Little-endian fields of a line ([0:1023], byte k at bits 8k..8k+7).
  function automatic logic [0:63] le64(input logic [0:1023] line, input int off);
    logic [0:63] v;
    for (int i = 0; i < 8; i++)
      v[8 * (7 - i) +: 8] = line[8 * (off + i) +: 8];
    return v;
  endfunction

  function automatic logic [0:31] le32(input logic [0:1023] line, input int off);
    logic [0:31] v;
    for (int i = 0; i < 4; i++)
      v[8 * (3 - i) +: 8] = line[8 * (off + i) +: 8];
    return v;
  endfunction

  // A tag's index in the AFU's tag arrays: the PSL only names tags the
  // AFU issued, all below NTAGS, so the high bits are zero.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [0:TAG_BITS-1] tix(input logic [0:7] tag);
    return tag[8-TAG_BITS:7];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  function automatic logic [0:63] bswap64(input logic [0:63] v);
    logic [0:63] r;
    for (int i = 0; i < 8; i++)
      r[8 * (7 - i) +: 8] = v[8 * i +: 8];
    return r;
  endfunction

  // The largest naturally aligned power of two at address offset a
  // (0..127 within a line, 0 meaning a line start) that fits in rem bytes.
  function automatic logic [0:7] piece_size(input logic [0:6] a, input logic [0:7] rem);
    logic [0:7] align;
    logic [0:7] fit;
    align = a == 7'd0 ? 8'd128 : {1'b0, a & (~a + 7'd1)};
    fit = 8'd1;
    for (int i = 0; i < 8; i++)
      if (rem[i])
        begin
          fit = 8'd1 << (7 - i);
          break;
        end
    return align < fit ? align : fit;
  endfunction

endpackage
