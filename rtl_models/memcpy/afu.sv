// SPDX-License-Identifier: GPL-2.0
//
// The memcpy AFU in SystemVerilog, with the standard CAPI 1.0 `module afu`
// port list: the same host interface as the C memcpy (sim/afu/memcpy.h,
// docs/afu-guide.md), built into a plug-in by "capisim afu build".
//
// Dedicated mode: START with a non-zero WED runs that work element chain
// as context 0 and ends the job with ah_jdone, ah_jerror = the error
// status or 0.  START with WED 0 just runs: contexts are added by LLCMD
// and each is driven through its 4 KB PSA slice (WED, then doorbell).
// Not in this model (the C one has them as options): polling for a WE
// without VALID, write_mi, other tag counts or ah_brlat 3.
//
// One engine serves one context's chain at a time (contexts with a rung
// doorbell wait their turn, round robin).  A copy keeps up to WIN source
// lines in flight with read_cl_na, one read slot tag per line, and writes
// each destination piece (naturally aligned, power of two, within a line)
// with write_na from its own tag as soon as the source bytes it needs
// are in, so reads and writes overlap.  One command per cycle, writes
// first; credits from ha_croom.
//
// PAGED or FLUSHED puts a command aside; once nothing is outstanding the
// AFU sends restart and, after its DONE, reissues what it put aside.  Any
// other response that is not DONE stops the work element: drain,
// restart, write the error status, interrupt if asked, end the chain.
module afu (
  input              ha_jval,
  input      [0:7]   ha_jcom,
  input              ha_jcompar,
  input      [0:63]  ha_jea,
  input              ha_jeapar,
  output reg         ah_jrunning,
  output reg         ah_jdone,
  output reg         ah_jcack,
  output reg [0:63]  ah_jerror,
  output             ah_jyield,
  output             ah_tbreq,
  output             ah_paren,
  input              ha_pclock,
  input              ha_mmval,
  input              ha_mmcfg,
  input              ha_mmrnw,
  input              ha_mmdw,
  input      [0:23]  ha_mmad,
  input              ha_mmadpar,
  input      [0:63]  ha_mmdata,
  input              ha_mmdatapar,
  output reg         ah_mmack,
  output reg [0:63]  ah_mmdata,
  output reg         ah_mmdatapar,
  input      [0:7]   ha_croom,
  output reg         ah_cvalid,
  output reg [0:7]   ah_ctag,
  output reg         ah_ctagpar,
  output reg [0:12]  ah_com,
  output reg         ah_compar,
  output     [0:2]   ah_cabt,
  output reg [0:63]  ah_cea,
  output reg         ah_ceapar,
  output reg [0:15]  ah_cch,
  output reg [0:11]  ah_csize,
  input              ha_brvalid,
  input      [0:7]   ha_brtag,
  input              ha_brtagpar,
  input      [0:5]   ha_brad,
  output     [0:3]   ah_brlat,
  output reg [0:511] ah_brdata,
  output reg [0:7]   ah_brpar,
  input              ha_bwvalid,
  input      [0:7]   ha_bwtag,
  input              ha_bwtagpar,
  input      [0:5]   ha_bwad,
  input      [0:511] ha_bwdata,
  input      [0:7]   ha_bwpar,
  input              ha_rvalid,
  input      [0:7]   ha_rtag,
  input              ha_rtagpar,
  input      [0:7]   ha_response,
  input      [0:8]   ha_rcredits,
  input      [0:1]   ha_rcachestate,
  input      [0:12]  ha_rcachepos
);
  import memcpy_pkg::*;

  typedef logic [0:NPROC_BITS-1] ctx_t;
  typedef logic [0:WIN_BITS-1] slot_t;

  // The PSL's parity is not checked; these inputs are deliberately unused.
  wire unused_inputs = &{1'b0, ha_jcompar, ha_jeapar, ha_mmadpar, ha_mmdatapar,
                         ha_brtag[0:7-TAG_BITS], ha_brtagpar, ha_brad[0:4],
                         ha_bwtag[0:7-TAG_BITS], ha_bwtagpar, ha_bwad[0:4], ha_bwpar,
                         ha_rtagpar, ha_rcachestate, ha_rcachepos};

  assign ah_jyield = 1'b0;
  assign ah_tbreq = 1'b0;
  assign ah_paren = 1'b1;
  assign ah_brlat = 4'd1;
  assign ah_cabt = 3'b000;	// strict

  // ---- state -------------------------------------------------------------

  // Tags: the command each carries (kept for reissue and error reports),
  // busy from ah_cvalid to ha_rvalid, put aside after PAGED/FLUSHED.
  reg [0:1023] tbuf [0:NTAGS-1];
  reg [0:63]   tea [0:NTAGS-1];
  reg [0:12]   tcom [0:NTAGS-1];
  reg [0:7]    tsize [0:NTAGS-1];
  reg [0:NTAGS-1] tbusy;
  reg [0:NTAGS-1] tpend;
  reg [0:8]    credits;

  // Contexts.
  reg [0:NPROC-1] runq;		// doorbell rung: run the chain at WED
  reg [0:63]   cwed [0:NPROC-1];
  reg [0:63]   cstatus [0:NPROC-1];
  reg [0:63]   ccount [0:NPROC-1];
  ctx_state_e  cstate [0:NPROC-1];
  reg          out_of_reset;		// a RESET completed: MMIO and START served

  // The engine and the work element it serves.
  eng_state_e  est;
  rec_state_e  rec;
  ctx_t        cur;
  reg          job;			// a dedicated job: its chain's end ends it
  reg [0:63]   we_ea;
  reg          we_irq;
  reg [0:63]   lisn;
  reg [0:63]   next_we;
  reg [0:63]   err;			// first error status of this work element
  reg [0:63]   err_ea;
  reg          terminating;		// LLCMD terminate of cur: drain, then ack
  reg          we_read;			// its fields were read: it can take a status
  reg          status_sent;		// the status write was issued (once per WE)

  // The copy: source lines numbered from the first one, 0.
  reg [0:63]   wpos;			// next destination byte
  reg [0:63]   dend;			// destination end
  reg [0:63]   delta;			// src - dst
  reg [0:56]   s0;			// first source line (EA >> 7)
  reg [0:31]   nsrc;
  reg [0:31]   next_read;
  reg [0:31]   first_needed;
  reg [0:WIN-1] have;			// read slot holds its line
  slot_t       wr_next;			// next write tag, round robin

  // LLCMD waiting for its ack.
  reg          ll_busy;
  reg [0:15]   ll_cmd;
  ctx_t        ll_ctx;
  reg          ll_valid;		// the PE is one of ours

  // ---- the next command, decided combinationally -------------------------

  wire [0:6]   a_off = wpos[57:63];
  wire [0:63]  line_end = {wpos[0:56], 7'd0} + 64'd128;
  wire [0:63]  piece_hi = line_end < dend ? line_end : dend;
  wire [0:7]   piece = piece_size(a_off, 8'(piece_hi - wpos));
  wire [0:63]  sa = wpos + delta;
  wire [0:31]  l1 = 32'(sa[0:56] - s0);
  wire [0:31]  l2 = 32'(57'((sa + 64'(piece) - 64'd1) >> 7) - s0);
  wire         l1_in = l1 < next_read && have[l1[32-WIN_BITS:31]];
  wire         l2_in = l2 < next_read && have[l2[32-WIN_BITS:31]];
  wire [0:7]   wtag = TAG_WR0 + 8'(wr_next);
  wire         can_write = wpos < dend && l1_in && l2_in && !tbusy[tix(wtag)];
  wire [0:7]   rtag = 8'(next_read[32-WIN_BITS:31]);
  wire         can_read = next_read < nsrc && next_read < first_needed + WIN &&
                          !tbusy[tix(rtag)];

  // The destination piece's bytes: the source bytes at sa from the two
  // lines that hold them, moved to the piece's offset in its line.
  wire [0:2047] src_pair = {tbuf[TAG_BITS'(l1[32-WIN_BITS:31])],
                             tbuf[TAG_BITS'(l2[32-WIN_BITS:31])]};
  wire [0:1023] src_at_sa = src_pair[8 * sa[57:63] +: 1024];
  wire [0:1023] wdata = src_at_sa >> (8 * a_off);

  // Lowest tag put aside.
  logic [0:7] pend_tag;
  always_comb begin
    pend_tag = 8'd0;
    for (int i = NTAGS - 1; i >= 0; i--)
      if (tpend[i])
        pend_tag = 8'(i);
  end

  typedef enum logic [0:2] { I_NONE, I_RESTART, I_REISSUE, I_FETCH, I_WRITE, I_READ,
                             I_STATUS, I_IRQ } issue_e;
  issue_e iss;
  always_comb begin
    iss = I_NONE;
    if (ah_jrunning && credits != 9'd0) begin
      if (rec == R_DRAIN && tbusy == '0)
        iss = I_RESTART;
      else if (rec == R_REISSUE && tpend != '0)
        iss = I_REISSUE;
      else if (rec == R_NONE && !terminating)
        case (est)
          E_FETCH: iss = I_FETCH;
          E_COPY: iss = can_write ? I_WRITE : can_read ? I_READ : I_NONE;
          E_STATUS: iss = I_STATUS;
          E_IRQ: iss = I_IRQ;
          default: iss = I_NONE;
        endcase
    end
  end

  // ---- buffer interface --------------------------------------------------

  always @(posedge ha_pclock) begin
    if (ha_brvalid) begin
      ah_brdata <= ha_brad[5] ? tbuf[tix(ha_brtag)][512:1023] : tbuf[tix(ha_brtag)][0:511];
      for (int i = 0; i < 8; i++)
        ah_brpar[i] <= odd_parity(ha_brad[5] ? tbuf[tix(ha_brtag)][512 + 64 * i +: 64]
                                             : tbuf[tix(ha_brtag)][64 * i +: 64]);
    end
  end

  // ---- MMIO --------------------------------------------------------------

  // ha_mmad is a word address: bits 0:22 name the doubleword, 0:13 the
  // 4 KB slice, 14:22 the register in it.
  wire [0:11] mm_reg = {ha_mmad[14:22], 3'b000};
  wire [0:13] mm_slice = ha_mmad[0:13];
  wire        mm_ctx_ok = mm_slice < 14'(NPROC) &&
                          cstate[mm_slice[14-NPROC_BITS:13]] != CS_FREE &&
                          cstate[mm_slice[14-NPROC_BITS:13]] != CS_TERM;
  wire [0:NPROC_BITS-1] mm_ctx = mm_slice[14-NPROC_BITS:13];
  wire        mm_write = ha_mmval && !ha_mmrnw && !ha_mmcfg && mm_ctx_ok && out_of_reset;

  function automatic logic [0:63] mmio_dword(input logic cfg, input logic [0:22] dw,
                                             input ctx_t c, input logic c_ok);
    if (cfg)
      return dw == 23'h0 ? DESC_00 : dw == 23'h6 ? DESC_30 : 64'd0;
    if (!c_ok)
      return '1;
    case ({dw[14:22], 3'b000})
      PSA_WED: return cwed[c];
      PSA_STATUS: return cstatus[c];
      PSA_STATE: return {60'd0, cstate[c]};
      PSA_COUNT: return ccount[c];
      default: return 64'd0;
    endcase
  endfunction

  wire [0:63] mm_dw = out_of_reset ? mmio_dword(ha_mmcfg, ha_mmad[0:22], mm_ctx, mm_ctx_ok)
                                    : '1;
  // A 32-bit write replaces the addressed word with ha_mmdata[32:63].
  wire [0:63] mm_merged = ha_mmdw ? ha_mmdata : ha_mmad[23] ? {cwed[mm_ctx][0:31], ha_mmdata[32:63]}
                                                            : {ha_mmdata[32:63], cwed[mm_ctx][32:63]};
  wire [0:63] mm_rd = ha_mmdw ? mm_dw : ha_mmad[23] ? {mm_dw[32:63], mm_dw[32:63]}
                                                   : {mm_dw[0:31], mm_dw[0:31]};

  always @(posedge ha_pclock) begin
    ah_mmack <= ha_mmval;
    if (ha_mmval && ha_mmrnw) begin
      ah_mmdata <= mm_rd;
      ah_mmdatapar <= odd_parity(mm_rd);
    end
  end

  // ---- everything else: job control, contexts, the engine ----------------

  wire jreset = ha_jval && ha_jcom == JCOM_RESET;
  wire jstart = ha_jval && ha_jcom == JCOM_START;
  wire jllcmd = ha_jval && ha_jcom == JCOM_LLCMD;
  wire resp_ok = ha_response == RESP_DONE;
  wire resp_retry = ha_response == RESP_PAGED || ha_response == RESP_FLUSHED;
  wire [0:63] we_status = err != 64'd0 ? err : ST_DONE;

  // Round robin: the next context after cur with its doorbell rung.
  logic [0:NPROC_BITS] pick;
  always_comb begin
    pick = {1'b1, NPROC_BITS'(0)};
    for (int k = NPROC; k >= 1; k--)
      if (runq[NPROC_BITS'(32'(cur) + k)])
        pick = {1'b0, NPROC_BITS'(32'(cur) + k)};
  end

  task automatic drive_cmd(input logic [0:7] tag, input logic [0:12] com,
                           input logic [0:63] ea, input logic [0:7] size);
    ah_cvalid <= 1'b1;
    ah_ctag <= tag;
    ah_ctagpar <= ~^tag;
    ah_com <= com;
    ah_compar <= ~^com;
    ah_cea <= ea;
    ah_ceapar <= odd_parity(ea);
    ah_cch <= 16'(cur);
    ah_csize <= {4'd0, size};
    tea[tix(tag)] <= ea;
    tcom[tix(tag)] <= com;
    tsize[tix(tag)] <= size;
    tbusy[tix(tag)] <= 1'b1;
  endtask

  // Start the chain at @ea for context cur (or fail at once on a bad WED).
  task automatic run_chain(input logic [0:63] ea);
    we_ea <= ea;
    err <= 64'd0;
    err_ea <= 64'd0;
    we_read <= 1'b0;
    status_sent <= 1'b0;
    if (ea == 64'd0 || ea[57:63] != 7'd0) begin
      err <= error_status(ERR_BAD_WE, 8'd0, 13'd0);
      err_ea <= ea;
      est <= E_END;
      next_we <= 64'd0;
    end else begin
      est <= E_FETCH;
    end
  endtask

  always @(posedge ha_pclock) begin
    ah_jdone <= 1'b0;
    ah_jcack <= 1'b0;
    ah_cvalid <= 1'b0;

    if (jreset) begin
      ah_jrunning <= 1'b0;
      ah_jdone <= 1'b1;
      ah_jerror <= 64'd0;
      credits <= {1'b0, ha_croom};
      tbusy <= '0;
      tpend <= '0;
      runq <= '0;
      out_of_reset <= 1'b1;
      est <= E_IDLE;
      rec <= R_NONE;
      job <= 1'b0;
      ll_busy <= 1'b0;
      terminating <= 1'b0;
      for (int c = 0; c < NPROC; c++) begin
        cwed[c] <= 64'd0;
        cstatus[c] <= 64'd0;
        ccount[c] <= 64'd0;
        cstate[c] <= CS_FREE;
      end
    end else begin
      // Job start: dedicated with a WED, or AFU-directed.
      if (jstart && out_of_reset && !ah_jrunning) begin
        ah_jrunning <= 1'b1;
        cwed[0] <= ha_jea;
        cstatus[0] <= 64'd0;
        ccount[0] <= 64'd0;
        cstate[0] <= CS_IDLE;
        runq[0] <= 1'b0;
        if (ha_jea != 64'd0) begin
          cur <= ctx_t'(0);
          job <= 1'b1;
          cstate[0] <= CS_FETCH;
          run_chain(ha_jea);
        end
      end

      // LLCMD: add at once; terminate and remove free the context once
      // the engine has let go of it (nothing outstanding).
      if (jllcmd && ah_jrunning && !ll_busy) begin
        ll_busy <= 1'b1;
        ll_cmd <= ha_jea[0:15];
        ll_ctx <= ctx_t'(ha_jea[64-NPROC_BITS:63]);
        ll_valid <= ha_jea[48:63] < 16'(NPROC);
      end
      if (ll_busy && ll_valid && ll_cmd != LLCMD_ADD && est != E_IDLE && cur == ll_ctx) begin
        terminating <= 1'b1;
        cstate[ll_ctx] <= CS_TERM;
        if (tbusy == '0) begin
          est <= E_IDLE;
          rec <= R_NONE;
          tpend <= '0;
          terminating <= 1'b0;
        end
      end else if (ll_busy) begin
        if (ll_valid && ll_cmd == LLCMD_ADD) begin
          cwed[ll_ctx] <= 64'd0;
          cstatus[ll_ctx] <= 64'd0;
          ccount[ll_ctx] <= 64'd0;
          cstate[ll_ctx] <= CS_IDLE;
        end else if (ll_valid && (ll_cmd == LLCMD_TERMINATE || ll_cmd == LLCMD_REMOVE)) begin
          cstate[ll_ctx] <= CS_FREE;
        end
        if (ll_valid)
          runq[ll_ctx] <= 1'b0;
        ll_busy <= 1'b0;
        ah_jcack <= 1'b1;
      end

      // PSA writes: WED, doorbell.
      if (mm_write && mm_reg == PSA_WED)
        cwed[mm_ctx] <= mm_merged;
      if (mm_write && mm_reg == PSA_DOORBELL)
        runq[mm_ctx] <= 1'b1;

      // The engine picks the next context whose doorbell rang.
      if (est == E_IDLE && ah_jrunning && !pick[0] && !jstart && !terminating) begin
        cur <= pick[1:NPROC_BITS];
        runq[pick[1:NPROC_BITS]] <= 1'b0;
        cstate[pick[1:NPROC_BITS]] <= CS_FETCH;
        run_chain(cwed[pick[1:NPROC_BITS]]);
      end

      // Buffer writes from the PSL land in the tag's buffer.
      if (ha_bwvalid) begin
        if (ha_bwad[5])
          tbuf[tix(ha_bwtag)][512:1023] <= ha_bwdata;
        else
          tbuf[tix(ha_bwtag)][0:511] <= ha_bwdata;
      end

      // Responses.
      if (ha_rvalid) begin
        tbusy[tix(ha_rtag)] <= 1'b0;
        if (ha_rtag == TAG_RESTART && !resp_ok) begin
          // A failed restart ends the work element at once.
          if (err == 64'd0)
            err <= error_status(ERR_RESPONSE, ha_response, COM_RESTART);
          rec <= R_NONE;
          tpend <= '0;
          est <= E_END;
          next_we <= 64'd0;
        end else if (resp_ok) begin
          if (ha_rtag == TAG_RESTART) begin
            rec <= err != 64'd0 ? R_NONE : R_REISSUE;
            if (err != 64'd0) begin
              tpend <= '0;
              est <= we_read && !status_sent ? E_STATUS : E_END;
            end
          end else if (ha_rtag < TAG_WR0) begin
            have[ha_rtag[8-WIN_BITS:7]] <= 1'b1;
          end else if (ha_rtag == TAG_CTL) begin
            case (est)
              E_FETCH_WAIT: parse_we();
              E_STATUS_WAIT: begin
                cstate[cur] <= we_irq ? CS_IRQ : cstate[cur];
                est <= we_irq ? E_IRQ : E_END;
              end
              E_IRQ_WAIT: est <= E_END;
              default: ;
            endcase
          end
        end else if (resp_retry && err == 64'd0) begin
          tpend[tix(ha_rtag)] <= 1'b1;
          tbusy[tix(ha_rtag)] <= 1'b0;
          if (rec != R_RESTART)
            rec <= R_DRAIN;
        end else if (err == 64'd0) begin
          err <= error_status(ERR_RESPONSE, ha_response, tcom[tix(ha_rtag)]);
          err_ea <= tea[tix(ha_rtag)];
          if (ha_rtag != TAG_RESTART)
            rec <= R_DRAIN;
        end
      end

      // Issue one command.
      case (iss)
        I_RESTART: begin
          drive_cmd(TAG_RESTART, COM_RESTART, 64'd0, 8'd0);
          rec <= R_RESTART;
        end
        I_REISSUE: begin
          drive_cmd(pend_tag, tcom[tix(pend_tag)], tea[tix(pend_tag)], tsize[tix(pend_tag)]);
          tpend[tix(pend_tag)] <= 1'b0;
          if ((tpend & ~(NTAGS'(1) << (NTAGS - 1 - 32'(pend_tag)))) == '0)
            rec <= R_NONE;
        end
        I_FETCH: begin
          drive_cmd(TAG_CTL, COM_READ_CL_NA, we_ea, 8'd128);
          est <= E_FETCH_WAIT;
        end
        I_WRITE: begin
          drive_cmd(wtag, COM_WRITE_NA, wpos, piece);
          tbuf[tix(wtag)] <= wdata;
          wr_next <= wr_next + slot_t'(1);
          wpos <= wpos + 64'(piece);
          free_lines(wpos + 64'(piece));
        end
        I_READ: begin
          drive_cmd(rtag, COM_READ_CL_NA, {s0 + 57'(next_read), 7'd0}, 8'd128);
          next_read <= next_read + 32'd1;
        end
        I_STATUS: begin
          drive_cmd(TAG_CTL, COM_WRITE_NA, we_ea + 64'(WE_STATUS), 8'd16);
          tbuf[tix(TAG_CTL)][8 * WE_STATUS +: 64] <= bswap64(we_status);
          tbuf[tix(TAG_CTL)][8 * WE_ERR_EA +: 64] <= bswap64(err_ea);
          status_sent <= 1'b1;
          est <= E_STATUS_WAIT;
        end
        I_IRQ: begin
          drive_cmd(TAG_CTL, COM_INTREQ, lisn, 8'd0);
          est <= E_IRQ_WAIT;
        end
        default: ;
      endcase

      // The copy is over once every write is answered.
      if (est == E_COPY && rec == R_NONE && wpos >= dend && tbusy == '0 && !ha_rvalid) begin
        cstate[cur] <= CS_STATUS;
        est <= E_STATUS;
      end

      // The work element is over: the next one, or the end of the chain.
      if (est == E_END) begin
        cstatus[cur] <= we_status;
        if (err == 64'd0)
          ccount[cur] <= ccount[cur] + 64'd1;
        if (err == 64'd0 && next_we != 64'd0) begin
          cstate[cur] <= CS_FETCH;
          run_chain(next_we);
        end else begin
          cstate[cur] <= err != 64'd0 ? CS_ERROR : CS_IDLE;
          est <= E_IDLE;
          if (job) begin
            job <= 1'b0;
            ah_jrunning <= 1'b0;
            ah_jdone <= 1'b1;
            ah_jerror <= err;
          end
        end
      end

      // Credits: one per command, back with each response.
      credits <= credits - {8'd0, iss != I_NONE} + (ha_rvalid ? ha_rcredits : 9'd0);
    end
  end

  // Take in the work element just read into the control tag's buffer.
  task automatic parse_we();
    logic [0:1023] w;
    logic [0:63] src, dst, len;
    logic [0:31] ctl;
    w = tbuf[tix(TAG_CTL)];
    ctl = le32(w, WE_CTL);
    src = le64(w, WE_SRC);
    dst = le64(w, WE_DST);
    len = le64(w, WE_LEN);
    if ((ctl & CTL_VALID) == 32'd0) begin
      err <= error_status(ERR_NOT_VALID, 8'd0, 13'd0);
      err_ea <= we_ea;
      next_we <= 64'd0;
      est <= E_END;
    end else begin
      we_read <= 1'b1;
      we_irq <= (ctl & CTL_IRQ) != 32'd0;
      lisn <= {48'd0, w[8 * (WE_LISN + 1) +: 8], w[8 * WE_LISN +: 8]} == 64'd0 ? 64'd1 :
              {48'd0, w[8 * (WE_LISN + 1) +: 8], w[8 * WE_LISN +: 8]};
      next_we <= le64(w, WE_NEXT);
      wpos <= dst;
      dend <= dst + len;
      delta <= src - dst;
      s0 <= src[0:56];
      nsrc <= len == 64'd0 ? 32'd0 : 32'(57'((src + len - 64'd1) >> 7) - src[0:56]) + 32'd1;
      next_read <= 32'd0;
      first_needed <= 32'd0;
      have <= '0;
      cstate[cur] <= len == 64'd0 ? CS_STATUS : CS_COPY;
      est <= len == 64'd0 ? E_STATUS : E_COPY;
    end
  endtask

  // Source lines wholly behind the new write position are free for reuse.
  task automatic free_lines(input logic [0:63] new_wpos);
    logic [0:31] first;
    first = new_wpos < dend ? 32'(57'((new_wpos + delta) >> 7) - s0) : nsrc;
    for (int i = 0; i < WIN; i++)
      if (32'(i) < first - first_needed)
        have[(first_needed[32-WIN_BITS:31] + slot_t'(i))] <= 1'b0;
    first_needed <= first;
  endtask

endmodule
