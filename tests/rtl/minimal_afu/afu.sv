// SPDX-License-Identifier: GPL-2.0
//
// The minimal test AFU of tests/test_rtl_bridge.sh: the standard CAPI 1.0
// port list, a descriptor and a few problem state registers over MMIO,
// one interrupt when started, and a one-line buffer that echoes what the
// PSL writes into it back on buffer reads (ah_brlat = 1).  No memory
// commands: the RTL memcpy in rtl_models/memcpy does the real work.
module afu (
  input              ha_jval,
  input      [0:7]   ha_jcom,
  input              ha_jcompar,
  input      [0:63]  ha_jea,
  input              ha_jeapar,
  output reg         ah_jrunning,
  output reg         ah_jdone,
  output             ah_jcack,
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
  output     [0:7]   ah_ctag,
  output             ah_ctagpar,
  output     [0:12]  ah_com,
  output             ah_compar,
  output     [0:2]   ah_cabt,
  output     [0:63]  ah_cea,
  output             ah_ceapar,
  output     [0:15]  ah_cch,
  output     [0:11]  ah_csize,
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
  import minimal_pkg::*;

  reg [0:63]   wed;
  reg          irq_pending;
  reg [0:8]    irq_status;
  reg [0:63]   scratch;
  reg [0:511]  line [0:1];

  wire [0:25] mmio_byte = {ha_mmad, 2'b00};
  wire [0:25] mmio_dw = {ha_mmad[0:22], 3'b000};

  assign ah_jcack = 1'b0;
  assign ah_jyield = 1'b0;
  assign ah_tbreq = 1'b0;
  assign ah_paren = 1'b1;
  assign ah_brlat = 4'd1;

  // The one command: an interrupt request.
  assign ah_ctag = IRQ_TAG;
  assign ah_ctagpar = ~^IRQ_TAG;
  assign ah_com = COM_INTREQ;
  assign ah_compar = ~^COM_INTREQ;
  assign ah_cabt = 3'b000;
  assign ah_cea = IRQ_LISN;
  assign ah_ceapar = odd_parity(IRQ_LISN);
  assign ah_cch = 16'd0;
  assign ah_csize = 12'd0;

  // Job control, and the one interrupt of a started job.
  always @(posedge ha_pclock) begin
    ah_jdone <= 1'b0;
    ah_cvalid <= 1'b0;
    if (ha_jval && ha_jcom == JCOM_RESET) begin
      ah_jrunning <= 1'b0;
      ah_jdone <= 1'b1;
      ah_jerror <= 64'd0;
      irq_pending <= 1'b0;
      irq_status <= 9'd0;
    end else if (ha_jval && ha_jcom == JCOM_START) begin
      $display("minimal: started, wed %h", ha_jea);
      wed <= ha_jea;
      ah_jrunning <= 1'b1;
      irq_pending <= 1'b1;
    end else begin
      if (ah_jrunning && irq_pending && ha_croom != 8'd0) begin
        ah_cvalid <= 1'b1;
        irq_pending <= 1'b0;
      end
      if (ha_mmval && !ha_mmcfg && !ha_mmrnw && mmio_dw == PSA_DONE && ah_jrunning) begin
        ah_jrunning <= 1'b0;
        ah_jdone <= 1'b1;
        ah_jerror <= ha_mmdata;
      end
    end
    if (ha_rvalid && ha_rtag == IRQ_TAG)
      irq_status <= {1'b1, ha_response};
  end

  // MMIO: answered on the edge that samples the request.
  function automatic logic [0:63] read_dw(input logic cfg, input logic [0:25] off);
    if (cfg)
      return off == 26'h00 ? DESC_00 : off == 26'h30 ? DESC_30 : 64'd0;
    if (off == PSA_WED)
      return wed;
    if (off == PSA_MAGIC)
      return MAGIC;
    if (off == PSA_IRQ)
      return {55'd0, irq_status};
    if (off == PSA_SCRATCH)
      return scratch;
    if (off >= PSA_BUF && off < PSA_BUF + 26'h80)
      return line[off[19]][64 * off[20:22] +: 64];
    return 64'd0;
  endfunction

  wire [0:63] rd = read_dw(ha_mmcfg, mmio_dw);
  // A 32-bit read returns the addressed word on both halves.
  wire [0:63] rd_sized = ha_mmdw ? rd : mmio_byte[23] ? {rd[32:63], rd[32:63]}
                                                      : {rd[0:31], rd[0:31]};

  always @(posedge ha_pclock) begin
    ah_mmack <= ha_mmval;
    if (ha_mmval && ha_mmrnw) begin
      ah_mmdata <= rd_sized;
      ah_mmdatapar <= odd_parity(rd_sized);
    end
    if (ha_mmval && !ha_mmcfg && !ha_mmrnw && mmio_dw == PSA_SCRATCH)
      scratch <= ha_mmdata;
  end

  // Buffer: the PSL writes half lines in, and reads them back one cycle later.
  always @(posedge ha_pclock) begin
    if (ha_bwvalid)
      line[ha_bwad[5]] <= ha_bwdata;
    if (ha_brvalid) begin
      ah_brdata <= line[ha_brad[5]];
      for (int i = 0; i < 8; i++)
        ah_brpar[i] <= odd_parity(line[ha_brad[5]][64 * i +: 64]);
    end
  end

endmodule
