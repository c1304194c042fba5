// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny device tree: for each card, its PHB node (device_type "pciex",
 * ibm,chip-id, ibm,phb-index, ibm,opal-msi-ranges and, if the slot has
 * it, ibm,capp-timebase-sync), the root port below it and the card
 * below that, so the card is two pciex levels deep as in a CAPI slot.
 * Property values are big-endian cells, as firmware writes them.
 */
#define pr_fmt(fmt) "kshim-of: " fmt

#include "bus.h"

/* A node and what the tree needs to free it again. */
struct of_node {
	struct device_node np;
	struct list_head link;		/* on of_nodes */
};

/*
 * Every node built, in creation order, for kshim_of_exit().  Built at
 * boot, freed at shutdown; the driver only takes and drops references.
 */
static LIST_HEAD(of_nodes);
/* The root, "/", built with the first PHB. */
static struct device_node *of_root;

static char *of_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kmalloc(n, GFP_KERNEL);

	if (p)
		memcpy(p, s, n);
	return p;
}

static struct device_node *of_new_node(struct device_node *parent, const char *name)
{
	struct of_node *on = kzalloc(sizeof(*on), GFP_KERNEL);

	if (!on)
		return NULL;
	on->np.name = of_strdup(name);
	on->np.full_name = on->np.name;
	if (!on->np.name) {
		kfree(on);
		return NULL;
	}
	on->np.parent = parent;
	atomic_set(&on->np.kref.refcount, 1);	/* the tree's own */
	list_add_tail(&on->link, &of_nodes);
	return &on->np;
}

/* A property holding @len bytes of @val; appended so lookups keep creation order. */
static int of_add_prop(struct device_node *np, const char *name, const void *val, int len)
{
	struct property *pp = kzalloc(sizeof(*pp) + len, GFP_KERNEL);
	struct property **tail = &np->properties;

	if (!pp)
		return -ENOMEM;
	pp->name = of_strdup(name);
	if (!pp->name) {
		kfree(pp);
		return -ENOMEM;
	}
	pp->length = len;
	pp->value = pp + 1;
	if (len)
		memcpy(pp->value, val, len);
	while (*tail)
		tail = &(*tail)->next;
	*tail = pp;
	return 0;
}

static int of_add_string(struct device_node *np, const char *name, const char *s)
{
	return of_add_prop(np, name, s, strlen(s) + 1);
}

static int of_add_cells(struct device_node *np, const char *name, const u32 *cells, int n)
{
	__be32 be[4];
	int i;

	for (i = 0; i < n; i++)
		be[i] = cpu_to_be32(cells[i]);
	return of_add_prop(np, name, be, n * sizeof(be[0]));
}

static int phb_props(struct device_node *np, const struct cosim_slot *slot)
{
	u32 msi[2] = { slot->msi_base, slot->msi_count };
	int ret;

	ret = of_add_string(np, "device_type", "pciex");
	if (!ret)
		ret = of_add_cells(np, "ibm,chip-id", &slot->chip_id, 1);
	if (!ret)
		ret = of_add_cells(np, "ibm,phb-index", &slot->phb_index, 1);
	if (!ret)
		ret = of_add_cells(np, "ibm,opal-msi-ranges", msi, 2);
	if (!ret && slot->tb_sync)
		ret = of_add_prop(np, "ibm,capp-timebase-sync", NULL, 0);
	return ret;
}

struct device_node *kshim_of_add_phb(const struct cosim_slot *slot, int card,
				     struct device_node **card_dn)
{
	struct device_node *phb, *port;
	char name[48];

	if (!of_root)
		of_root = of_new_node(NULL, "/");
	if (!of_root)
		return NULL;
	snprintf(name, sizeof(name), "pciex@%llx", slot->m64_base);
	phb = of_new_node(of_root, name);
	if (!phb || phb_props(phb, slot))
		return NULL;
	port = of_new_node(phb, "pci@0");
	if (!port || of_add_string(port, "device_type", "pciex"))
		return NULL;
	snprintf(name, sizeof(name), "card%d@0", card);
	*card_dn = of_new_node(port, name);
	if (!*card_dn)
		return NULL;
	return phb;
}

void kshim_of_exit(void)
{
	struct of_node *on, *tmp;
	struct property *pp, *next;

	list_for_each_entry_safe(on, tmp, &of_nodes, link) {
		for (pp = on->np.properties; pp; pp = next) {
			next = pp->next;
			kfree(pp->name);
			kfree(pp);
		}
		list_del(&on->link);
		kfree(on->np.name);
		kfree(on);
	}
	of_root = NULL;
}

static struct property *of_find_prop(const struct device_node *np, const char *name)
{
	struct property *pp;

	for (pp = np ? np->properties : NULL; pp; pp = pp->next)
		if (!strcmp(pp->name, name))
			return pp;
	return NULL;
}

const void *of_get_property(const struct device_node *np, const char *name, int *lenp)
{
	struct property *pp = of_find_prop(np, name);

	if (lenp)
		*lenp = pp ? pp->length : 0;
	return pp ? pp->value : NULL;
}

int of_property_read_u32(const struct device_node *np, const char *propname, u32 *out_value)
{
	struct property *pp = of_find_prop(np, propname);

	if (!pp)
		return -EINVAL;
	if (!pp->length)
		return -ENODATA;
	if (pp->length != sizeof(u32))
		return -EOVERFLOW;
	*out_value = be32_to_cpup(pp->value);
	return 0;
}

struct device_node *of_node_get(struct device_node *np)
{
	if (np)
		atomic_inc(&np->kref.refcount);
	return np;
}

/* Nodes live as long as the tree; a put below the tree's own reference is a bug. */
void of_node_put(struct device_node *np)
{
	if (!np)
		return;
	if (WARN(atomic_read(&np->kref.refcount) <= 1, "of_node_put(%s): reference underflow\n",
		 np->full_name))
		return;
	atomic_dec(&np->kref.refcount);
}

struct device_node *of_get_next_parent(struct device_node *np)
{
	struct device_node *parent;

	if (!np)
		return NULL;
	parent = of_node_get(np->parent);
	of_node_put(np);
	return parent;
}

bool of_node_is_type(const struct device_node *np, const char *type)
{
	const char *t = of_get_property(np, "device_type", NULL);

	return np && t && type && !strcmp(t, type);
}

/*
 * The rest is reached only by the pSeries guest backend and its platform
 * devices (cxl_base_init returns early in HV mode): dead on an HV POWER8.
 */
int of_update_property(struct device_node *np, struct property *newprop)
{
	kshim_bug(__FILE__, __LINE__, "of_update_property: pSeries guest path");
}

struct device_node *of_find_compatible_node(struct device_node *from, const char *type,
					    const char *compat)
{
	kshim_bug(__FILE__, __LINE__, "of_find_compatible_node: pSeries guest path");
}

struct platform_device *of_platform_device_create(struct device_node *np,
						  const char *bus_id, struct device *parent)
{
	kshim_bug(__FILE__, __LINE__, "of_platform_device_create: pSeries guest path");
}

void kshim_of_reset(void)
{
	INIT_LIST_HEAD(&of_nodes);
	of_root = NULL;
}
