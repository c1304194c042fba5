// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI core for the simulated cards: one PHB per card with the card
 * alone on its bus (domain = card number, 0000:01:00.0), config cycles to
 * the card through the PHB's pci_ops, BARs sized and read back as the
 * kernel's enumeration does, drivers matched against their id_table and
 * probed when either side appears.
 */
#define pr_fmt(fmt) "kshim-pci: " fmt

#include "bus.h"

/* The PHBs by card number; built by kshim_pci_scan(), freed by kshim_pci_exit(). */
static struct kshim_phb *phbs[COSIM_MAX_CARDS];
static int nr_phbs;

/* Registered drivers, in registration order.  Process context only. */
static LIST_HEAD(pci_drivers);

static struct kshim_phb *bus_phb(struct pci_bus *bus);

static int phb_cfg_read(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val)
{
	unsigned long long cost;
	int rc;

	if (devfn)
		return PCIBIOS_DEVICE_NOT_FOUND;
	rc = cosim_cfg_read(bus_phb(bus)->card, where, size, val, &cost);
	kshim_bus_spend(cost);
	return rc ? PCIBIOS_DEVICE_NOT_FOUND : PCIBIOS_SUCCESSFUL;
}

static int phb_cfg_write(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val)
{
	unsigned long long cost;
	int rc;

	if (devfn)
		return PCIBIOS_DEVICE_NOT_FOUND;
	rc = cosim_cfg_write(bus_phb(bus)->card, where, size, val, &cost);
	kshim_bus_spend(cost);
	return rc ? PCIBIOS_DEVICE_NOT_FOUND : PCIBIOS_SUCCESSFUL;
}

static struct pci_ops phb_ops = {
	.read = phb_cfg_read,
	.write = phb_cfg_write,
};

static struct kshim_phb *bus_phb(struct pci_bus *bus)
{
	return container_of(bus, struct kshim_phb, bus);
}

struct kshim_phb *kshim_pci_phb(const struct pci_dev *pdev)
{
	return pdev->bus->ops == &phb_ops ? bus_phb(pdev->bus) : NULL;
}

struct kshim_phb *kshim_phb_of_card(int card)
{
	return card >= 0 && card < nr_phbs ? phbs[card] : NULL;
}

/* ---- Config space ---- */

static bool disconnected(const struct pci_dev *dev)
{
	return dev->error_state == pci_channel_io_perm_failure;
}

static int cfg_read(const struct pci_dev *dev, int where, int size, u32 *val)
{
	int rc;

	if (disconnected(dev)) {
		rc = PCIBIOS_DEVICE_NOT_FOUND;
	} else if (where & (size - 1)) {
		return PCIBIOS_BAD_REGISTER_NUMBER;
	} else {
		rc = dev->bus->ops->read(dev->bus, dev->devfn, where, size, val);
		if (!rc)
			return 0;
	}
	*val = size == 4 ? ~0U : (1U << (8 * size)) - 1;
	return rc;
}

static int cfg_write(const struct pci_dev *dev, int where, int size, u32 val)
{
	if (disconnected(dev))
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (where & (size - 1))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	return dev->bus->ops->write(dev->bus, dev->devfn, where, size, val);
}

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int rc = cfg_read(dev, where, 1, &v);

	if (rc != PCIBIOS_BAD_REGISTER_NUMBER)
		*val = v;
	return rc;
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int rc = cfg_read(dev, where, 2, &v);

	if (rc != PCIBIOS_BAD_REGISTER_NUMBER)
		*val = v;
	return rc;
}

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return cfg_read(dev, where, 4, val);
}

int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return cfg_write(dev, where, 1, val);
}

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return cfg_write(dev, where, 2, val);
}

int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return cfg_write(dev, where, 4, val);
}

/* Walks the extended capability chain from 0x100, at most as many hops as fit. */
u16 pci_find_next_ext_capability(struct pci_dev *dev, u16 start, int cap)
{
	int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	int pos = start ? start : PCI_CFG_SPACE_SIZE;
	u32 header;

	if (pci_read_config_dword(dev, pos, &header) || !header)
		return 0;
	while (ttl-- > 0) {
		if (PCI_EXT_CAP_ID(header) == cap && pos != start)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE || pci_read_config_dword(dev, pos, &header))
			break;
	}
	return 0;
}

u16 pci_find_ext_capability(struct pci_dev *dev, int cap)
{
	return pci_find_next_ext_capability(dev, 0, cap);
}

/* The card has no VPD capability. */
ssize_t pci_read_vpd(struct pci_dev *dev, loff_t pos, size_t count, void *buf)
{
	return -ENODEV;
}

/*
 * The header as enumerated, kept by the PHB across the function's removal,
 * as the EEH core keeps it: config cycles go through the bus, so no
 * struct pci_dev is needed.
 */
static void save_state(struct kshim_phb *phb)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(phb->saved_config); i++)
		phb->bus.ops->read(&phb->bus, 0, 4 * i, 4, &phb->saved_config[i]);
}

/* Dwords back in reverse order, only those that differ, as the kernel restores them. */
void kshim_pci_restore_state(struct kshim_phb *phb)
{
	int i;
	u32 v;

	for (i = ARRAY_SIZE(phb->saved_config) - 1; i >= 0; i--) {
		phb->bus.ops->read(&phb->bus, 0, 4 * i, 4, &v);
		if (v != phb->saved_config[i])
			phb->bus.ops->write(&phb->bus, 0, 4 * i, 4, phb->saved_config[i]);
	}
}

/* ---- Enabling, BARs ---- */

static void command_update(struct pci_dev *dev, u16 set, u16 clear)
{
	u16 cmd = 0, new;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	new = (cmd | set) & ~clear;
	if (new != cmd)
		pci_write_config_word(dev, PCI_COMMAND, new);
}

int pci_enable_device(struct pci_dev *dev)
{
	struct pci_controller *hose = pci_bus_to_host(dev->bus);
	u16 mem = 0;
	int i;

	if (dev->enable_cnt++)
		return 0;
	if (hose->controller_ops.enable_device_hook &&
	    !hose->controller_ops.enable_device_hook(dev)) {
		dev->enable_cnt--;
		return -EINVAL;
	}
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		if (dev->resource[i].flags & IORESOURCE_MEM)
			mem = PCI_COMMAND_MEMORY;
	command_update(dev, mem, 0);
	return 0;
}

void pci_disable_device(struct pci_dev *dev)
{
	struct pci_controller *hose = pci_bus_to_host(dev->bus);

	if (WARN(dev->enable_cnt <= 0, "%s: disabling already-disabled device\n",
		 dev_name(&dev->dev)))
		return;
	if (--dev->enable_cnt)
		return;
	if (hose->controller_ops.disable_device)
		hose->controller_ops.disable_device(dev);
	command_update(dev, 0, PCI_COMMAND_MASTER);
	dev->is_busmaster = 0;
}

void pci_set_master(struct pci_dev *dev)
{
	command_update(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = 1;
}

int pci_request_region(struct pci_dev *dev, int bar, const char *name)
{
	struct resource *res = &dev->resource[bar];

	if (!pci_resource_len(dev, bar))
		return 0;
	if (res->flags & IORESOURCE_BUSY) {
		dev_warn(&dev->dev, "BAR %d: can't reserve %s: already claimed by %s\n",
			 bar, name, res->name);
		return -EBUSY;
	}
	res->flags |= IORESOURCE_BUSY;
	res->name = name;
	return 0;
}

void pci_release_region(struct pci_dev *dev, int bar)
{
	struct resource *res = &dev->resource[bar];

	if (!pci_resource_len(dev, bar))
		return;
	WARN(!(res->flags & IORESOURCE_BUSY), "%s: releasing BAR %d, which is not claimed\n",
	     dev_name(&dev->dev), bar);
	res->flags &= ~IORESOURCE_BUSY;
}

/* Size one 32-bit half of a BAR: all-ones in, the writable bits out, then restore. */
static u32 bar_size_half(struct pci_dev *dev, int where, u32 *orig)
{
	u32 sz;

	pci_read_config_dword(dev, where, orig);
	pci_write_config_dword(dev, where, ~0U);
	pci_read_config_dword(dev, where, &sz);
	pci_write_config_dword(dev, where, *orig);
	return sz;
}

/* The memory BARs: size and address, with decoding off meanwhile. */
static void read_bases(struct pci_dev *dev)
{
	u16 cmd = 0;
	int bar;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	if (cmd & PCI_COMMAND_MEMORY)
		pci_write_config_word(dev, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		int where = PCI_BASE_ADDRESS_0 + 4 * bar;
		struct resource *res = &dev->resource[bar];
		u32 lo, hi = 0, szlo, szhi = ~0U;
		u64 mask, addr;

		szlo = bar_size_half(dev, where, &lo);
		if (!szlo || szlo == ~0U || (lo & PCI_BASE_ADDRESS_SPACE_IO))
			continue;
		if (lo & PCI_BASE_ADDRESS_MEM_TYPE_64)
			szhi = bar_size_half(dev, where + 4, &hi);
		mask = (u64)szhi << 32 | (szlo & PCI_BASE_ADDRESS_MEM_MASK);
		addr = (u64)hi << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK);
		res->flags = IORESOURCE_MEM;
		if (lo & PCI_BASE_ADDRESS_MEM_PREFETCH)
			res->flags |= IORESOURCE_PREFETCH;
		if (lo & PCI_BASE_ADDRESS_MEM_TYPE_64)
			res->flags |= IORESOURCE_MEM_64;
		if (!addr)
			res->flags |= IORESOURCE_UNSET;
		res->start = addr;
		res->end = addr + ~mask;
		if (lo & PCI_BASE_ADDRESS_MEM_TYPE_64)
			bar++;
	}
	if (cmd & PCI_COMMAND_MEMORY)
		pci_write_config_word(dev, PCI_COMMAND, cmd);
}

/* ---- Drivers ---- */

static const struct pci_device_id *match_id(const struct pci_driver *drv,
					    const struct pci_dev *dev)
{
	const struct pci_device_id *id;

	for (id = drv->id_table; id && (id->vendor || id->subvendor || id->class_mask); id++)
		if ((id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
		    (id->device == PCI_ANY_ID || id->device == dev->device) &&
		    (id->subvendor == PCI_ANY_ID || id->subvendor == dev->subsystem_vendor) &&
		    (id->subdevice == PCI_ANY_ID || id->subdevice == dev->subsystem_device) &&
		    !((id->class ^ dev->class) & id->class_mask))
			return id;
	return NULL;
}

/* Probe @dev with @drv if it matches; true if @drv is now bound. */
static bool try_bind(struct pci_driver *drv, struct pci_dev *dev)
{
	const struct pci_device_id *id = match_id(drv, dev);
	int rc;

	if (!id)
		return false;
	get_device(&dev->dev);
	dev->driver = drv;
	dev->dev.driver = &drv->driver;
	rc = drv->probe(dev, id);
	if (!rc)
		return true;
	dev->driver = NULL;
	dev->dev.driver = NULL;
	put_device(&dev->dev);
	if (rc != -ENODEV && rc != -ENXIO)
		dev_warn(&dev->dev, "probe with driver %s failed with error %d\n", drv->name, rc);
	return false;
}

static void bind_any(struct pci_dev *dev)
{
	struct pci_driver *drv;

	list_for_each_entry(drv, &pci_drivers, kshim_node)
		if (try_bind(drv, dev))
			return;
}

static void unbind(struct pci_dev *dev)
{
	struct pci_driver *drv = dev->driver;

	if (!drv)
		return;
	if (drv->remove)
		drv->remove(dev);
	dev->driver = NULL;
	dev->dev.driver = NULL;
	put_device(&dev->dev);
}

struct pci_driver *kshim_pci_driver_of(struct pci_dev *pdev)
{
	return pdev->driver;
}

int pci_register_driver(struct pci_driver *drv)
{
	int i;

	drv->driver.name = drv->name;
	list_add_tail(&drv->kshim_node, &pci_drivers);
	for (i = 0; i < nr_phbs; i++)
		if (phbs[i]->pdev && !phbs[i]->pdev->driver)
			try_bind(drv, phbs[i]->pdev);
	return 0;
}

void pci_unregister_driver(struct pci_driver *drv)
{
	int i;

	for (i = 0; i < nr_phbs; i++)
		if (phbs[i]->pdev && phbs[i]->pdev->driver == drv)
			unbind(phbs[i]->pdev);
	list_del(&drv->kshim_node);
}

/* ---- Enumeration ---- */

static void pci_release_dev(struct device *dev)
{
	kfree(to_pci_dev(dev));
}

int kshim_pci_add_dev(struct kshim_phb *phb)
{
	struct pci_dev *pdev = kzalloc(sizeof(*pdev), GFP_KERNEL);
	u32 v;
	int rc;

	if (!pdev)
		return -ENOMEM;
	pdev->bus = &phb->bus;
	pdev->error_state = pci_channel_io_normal;
	device_initialize(&pdev->dev);
	pdev->dev.release = pci_release_dev;
	pdev->dev.parent = &phb->bridge;
	pdev->dev.of_node = phb->card_dn;
	rc = dev_set_name(&pdev->dev, "%04x:%02x:00.0", phb->hose.global_number, phb->bus.number);
	if (rc || pci_read_config_dword(pdev, PCI_VENDOR_ID, &v) || (v & 0xffff) == 0xffff) {
		put_device(&pdev->dev);
		return rc ? rc : -ENODEV;
	}
	pdev->vendor = v;
	pdev->device = v >> 16;
	pci_read_config_dword(pdev, PCI_CLASS_REVISION, &v);
	pdev->class = v >> 8;
	pci_read_config_word(pdev, PCI_SUBSYSTEM_VENDOR_ID, &pdev->subsystem_vendor);
	pci_read_config_word(pdev, PCI_SUBSYSTEM_ID, &pdev->subsystem_device);
	read_bases(pdev);
	save_state(phb);
	rc = device_add(&pdev->dev);
	if (rc) {
		put_device(&pdev->dev);
		return rc;
	}
	list_add_tail(&pdev->bus_list, &phb->bus.devices);
	phb->pdev = pdev;
	bind_any(pdev);
	return 0;
}

void kshim_pci_remove_dev(struct kshim_phb *phb)
{
	struct pci_dev *pdev = phb->pdev;

	if (!pdev)
		return;
	unbind(pdev);
	phb->pdev = NULL;
	list_del(&pdev->bus_list);
	device_del(&pdev->dev);
	put_device(&pdev->dev);
}

/* The bridge device is part of its PHB, freed with it by kshim_pci_exit(). */
static void phb_bridge_release(struct device *dev)
{
}

static struct kshim_phb *phb_create(int card)
{
	struct kshim_phb *phb = kzalloc(sizeof(*phb), GFP_KERNEL);

	if (!phb)
		return NULL;
	phb->card = card;
	if (cosim_card_slot(card, &phb->slot))
		goto err;
	phb->msi_bmp = bitmap_zalloc(phb->slot.msi_count, GFP_KERNEL);
	phb->dn = kshim_of_add_phb(&phb->slot, card, &phb->card_dn);
	if (!phb->msi_bmp || !phb->dn)
		goto err;
	INIT_LIST_HEAD(&phb->bus.node);
	INIT_LIST_HEAD(&phb->bus.children);
	INIT_LIST_HEAD(&phb->bus.devices);
	phb->bus.number = 1;
	phb->bus.sysdata = &phb->hose;
	phb->bus.ops = &phb_ops;
	phb->bus.bridge = &phb->bridge;
	phb->hose.bus = &phb->bus;
	phb->hose.dn = phb->dn;
	phb->hose.global_number = card;
	phb->hose.ops = &phb_ops;
	device_initialize(&phb->bridge);
	phb->bridge.release = phb_bridge_release;
	if (dev_set_name(&phb->bridge, "pci%04x:00", card) || device_add(&phb->bridge)) {
		put_device(&phb->bridge);
		goto err;
	}
	return phb;
err:
	bitmap_free(phb->msi_bmp);
	kfree(phb);
	return NULL;
}

int kshim_pci_scan(void)
{
	int rc;

	while (nr_phbs < cosim_nr_cards()) {
		struct kshim_phb *phb = phb_create(nr_phbs);

		if (!phb)
			return -ENOMEM;
		phbs[nr_phbs++] = phb;
		rc = kshim_pci_add_dev(phb);
		if (rc)
			pr_err("card %d: no function found on its bus: %d\n", phb->card, rc);
	}
	return 0;
}

void kshim_pci_exit(void)
{
	while (nr_phbs) {
		struct kshim_phb *phb = phbs[--nr_phbs];

		kshim_pci_remove_dev(phb);
		device_unregister(&phb->bridge);
		kshim_phb_msi_exit(phb);
		phbs[nr_phbs] = NULL;
		/* A reference still held on the bridge would dangle: leak it instead. */
		if (WARN(atomic_read(&phb->bridge.kobj.kref.refcount),
			 "%s still referenced at shutdown\n", dev_name(&phb->bridge)))
			continue;
		bitmap_free(phb->msi_bmp);
		kfree(phb);
	}
	kshim_of_exit();
}

void kshim_pci_reset(void)
{
	memset(phbs, 0, sizeof(phbs));
	nr_phbs = 0;
	INIT_LIST_HEAD(&pci_drivers);
}
