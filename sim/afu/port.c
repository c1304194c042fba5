// SPDX-License-Identifier: GPL-2.0
/*
 * The AFU side of the interface shared by the built-in C AFUs: see
 * afu/port.h.  Everything here runs inside one AFU's tick.
 */
#define pr_fmt(fmt) "afu-port: " fmt

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "afu/port.h"
#include "core/config.h"
#include "core/log.h"

int afu_port_init(struct afu_port *p, u32 nr_tags, u8 brlat, bool paren)
{
	if (!nr_tags || nr_tags > AFU_PORT_MAX_TAGS || (brlat != 1 && brlat != 3))
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->tags = calloc(nr_tags, sizeof(*p->tags));
	if (!p->tags)
		return -ENOMEM;
	p->nr_tags = nr_tags;
	p->brlat = brlat;
	p->paren = paren;
	afu_port_reset(p, 0);
	return 0;
}

void afu_port_exit(struct afu_port *p)
{
	free(p->tags);
	p->tags = NULL;
}

void afu_port_reset(struct afu_port *p, u8 croom)
{
	u32 i;

	memset(p->tags, 0, p->nr_tags * sizeof(*p->tags));
	p->free = NULL;
	for (i = p->nr_tags; i-- > 0;) {
		p->tags[i].id = i;
		p->tags[i].next = p->free;
		p->free = &p->tags[i];
	}
	p->nr_busy = 0;
	p->credits = croom;
	memset(p->brq, 0, sizeof(p->brq));
}

struct afu_tag *afu_port_get(struct afu_port *p)
{
	struct afu_tag *t = p->free;

	if (t)
		p->free = t->next;
	return t;
}

void afu_port_put(struct afu_port *p, struct afu_tag *t)
{
	t->next = p->free;
	p->free = t;
}

void afu_port_issue(struct afu_port *p, struct afu_tag *t, struct afu_out *out)
{
	out->cvalid = 1;
	out->ctag = t->id;
	out->com = t->com;
	out->cabt = t->cabt;
	out->cea = t->ea;
	out->cch = t->cch;
	out->csize = t->size;
	if (p->paren) {
		out->ctagpar = afu_parity64(t->id);
		out->compar = afu_parity64(t->com);
		out->ceapar = afu_parity64(t->ea);
	}
	t->busy = true;
	p->nr_busy++;
	p->credits--;
}

/* The busy tag a buffer beat or response names; NULL (counted) if none. */
static struct afu_tag *busy_tag(struct afu_port *p, u8 tag)
{
	if (tag >= p->nr_tags || !p->tags[tag].busy) {
		p->proto_errors++;
		return NULL;
	}
	return &p->tags[tag];
}

void afu_port_tick(struct afu_port *p, const struct afu_in *in, struct afu_out *out)
{
	unsigned int slot;
	struct afu_tag *t;

	out->brlat = p->brlat;
	out->paren = p->paren;
	if (in->bwvalid) {
		if (p->paren && in->bwtagpar != afu_parity64(in->bwtag))
			p->parity_errors++;
		t = busy_tag(p, in->bwtag);
		if (t)
			memcpy(t->buf + (in->bwad & 1) * AFU_HALF_LINE, in->bwdata,
			       AFU_HALF_LINE);
		if (p->paren && in->bwpar != afu_parity_half(in->bwdata))
			p->parity_errors++;
	}
	if (in->brvalid) {
		slot = (p->now + p->brlat - 1) & 3;
		p->brq[slot].valid = true;
		p->brq[slot].tag = in->brtag;
		p->brq[slot].half = in->brad & 1;
		if (p->paren && in->brtagpar != afu_parity64(in->brtag))
			p->parity_errors++;
	}
	slot = p->now & 3;
	if (p->brq[slot].valid) {
		p->brq[slot].valid = false;
		t = busy_tag(p, p->brq[slot].tag);
		if (t) {
			memcpy(out->brdata, t->buf + p->brq[slot].half * AFU_HALF_LINE,
			       AFU_HALF_LINE);
			if (p->paren)
				out->brpar = afu_parity_half(out->brdata);
		}
	}
	p->now++;
}

struct afu_tag *afu_port_response(struct afu_port *p, const struct afu_in *in)
{
	struct afu_tag *t;

	if (!in->rvalid)
		return NULL;
	p->credits += in->rcredits;
	if (p->paren && in->rtagpar != afu_parity64(in->rtag))
		p->parity_errors++;
	t = busy_tag(p, in->rtag);
	if (!t)
		return NULL;
	t->busy = false;
	p->nr_busy--;
	return t;
}

void afu_port_mmio_ack(struct afu_port *p, struct afu_out *out, u64 data)
{
	out->mmack = 1;
	out->mmdata = data;
	out->mmdatapar = p->paren ? afu_parity64(data) : 0;
}

u64 afu_mmio_read_lanes(u64 dword, const struct afu_in *in)
{
	u32 word;

	if (in->mmdw)
		return dword;
	word = in->mmad & 1 ? (u32)dword : (u32)(dword >> 32);
	return (u64)word << 32 | word;
}

u64 afu_mmio_write_merge(u64 old, const struct afu_in *in)
{
	u64 word = (u32)in->mmdata;

	if (in->mmdw)
		return in->mmdata;
	if (in->mmad & 1)
		return (old & ~0xFFFFFFFFULL) | word;
	return (old & 0xFFFFFFFFULL) | word << 32;
}

/* The CR doubleword at @off, if @off falls in the records; else false. */
static bool cr_dword(const struct afu_desc *d, u32 off, u64 *val)
{
	u64 rel;
	unsigned int i;

	if ((off & ~7U) < d->cr_offset)
		return false;
	rel = (off & ~7U) - d->cr_offset;
	if (rel >= (u64)d->num_of_afu_crs * d->cr_len * AFU_CR_UNIT)
		return false;
	/* Memory order: the byte at the lowest offset is the MSB of the load. */
	*val = 0;
	for (i = 0; i < 8; i++)
		*val = *val << 8 | (rel + i < d->cr_size ? d->cr[rel + i] : 0);
	return true;
}

u64 afu_desc_dword(const struct afu_desc *d, u32 off)
{
	u64 val;

	switch (off & ~7U) {
	case AFU_DESC_WORD0:
		return AFU_DESC_W0(d->num_ints_per_process, d->num_of_processes,
				   d->num_of_afu_crs, d->req_prog_model);
	case AFU_DESC_CR_LEN:
		return d->cr_len & AFU_DESC_LEN_MASK;
	case AFU_DESC_CR_OFFSET:
		return d->cr_offset;
	case AFU_DESC_PSA:
		return (d->pp_psa ? AFU_DESC_PP_PSA_REQ : 0) |
		       (d->psa ? AFU_DESC_PSA_REQ : 0) |
		       (d->pp_psa_len & AFU_DESC_LEN_MASK);
	case AFU_DESC_PP_PSA_OFFSET:
		return d->pp_psa ? d->pp_psa_offset : 0;
	default:
		/* Error-buffer length and offset, reserved words: 0. */
		return off >= AFU_DESC_END && cr_dword(d, off, &val) ? val : 0;
	}
}

static void put_le(u8 *p, u32 val, unsigned int bytes)
{
	while (bytes--) {
		*p++ = (u8)val;
		val >>= 8;
	}
}

void afu_cr_header(u8 *rec, u16 vendor, u16 device, u32 class_code, u8 revision)
{
	memset(rec, 0, AFU_CR_HDR_SIZE);
	put_le(rec + 0x00, vendor, 2);		/* PCI_VENDOR_ID */
	put_le(rec + 0x02, device, 2);		/* PCI_DEVICE_ID */
	rec[0x08] = revision;			/* PCI_REVISION_ID */
	put_le(rec + 0x09, class_code, 3);	/* PCI_CLASS_PROG, _DEVICE */
	/* PCI_HEADER_TYPE (0x0E) 0: a normal function, no BARs, no capabilities. */
}

/* Set the option named by @item (length @len) from its value. */
static int opt_set(const char *model, const char *item, size_t len,
		   const struct afu_opt *table, unsigned int n)
{
	const char *eq = memchr(item, '=', len);
	char val[64];
	unsigned int i;
	u64 v;

	if (!eq || (size_t)(item + len - eq - 1) >= sizeof(val))
		goto bad;
	memcpy(val, eq + 1, item + len - eq - 1);
	val[item + len - eq - 1] = '\0';
	for (i = 0; i < n; i++) {
		if (strlen(table[i].name) != (size_t)(eq - item) ||
		    strncmp(table[i].name, item, eq - item))
			continue;
		if (cfg_parse_u64(val, &v) || v < table[i].min || v > table[i].max) {
			pr_err("%s: option '%.*s': expected an integer in [%llu, %llu]\n",
			       model, (int)len, item, (unsigned long long)table[i].min,
			       (unsigned long long)table[i].max);
			return -EINVAL;
		}
		*table[i].val = v;
		return 0;
	}
bad:
	pr_err("%s: unknown or malformed option '%.*s'\n", model, (int)len, item);
	return -EINVAL;
}

int afu_opts_parse(const char *model, const char *options,
		   const struct afu_opt *table, unsigned int n)
{
	const char *s = options;
	int ret;

	while (s && *s) {
		size_t len = strcspn(s, ",");

		if (len) {
			ret = opt_set(model, s, len, table, n);
			if (ret)
				return ret;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}
