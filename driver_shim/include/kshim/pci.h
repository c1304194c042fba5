/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI core: devices, buses, drivers, config space, BARs, EEH error
 * recovery and the powerpc PHB (pci_controller) used by the cxl vPHB.
 *
 * Config-space accesses go to the simulator (driver_shim/kernel/pci.c);
 * pci_set_pcie_reset_state() becomes PERST there.
 */
#ifndef _KSHIM_PCI_H
#define _KSHIM_PCI_H

#include <kshim/types.h>
#include <kshim/kernel.h>
#include <kshim/list.h>
#include <kshim/device.h>

/* Config-space registers and capability IDs used by the driver. */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_CLASS_REVISION	0x08
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_BASE_ADDRESS_1	0x14
#define PCI_BASE_ADDRESS_2	0x18
#define PCI_BASE_ADDRESS_3	0x1c
#define PCI_BASE_ADDRESS_4	0x20
#define PCI_BASE_ADDRESS_5	0x24
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e

#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004

#define PCI_BASE_ADDRESS_SPACE_IO	0x01
#define PCI_BASE_ADDRESS_MEM_TYPE_64	0x04
#define PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define PCI_BASE_ADDRESS_MEM_MASK	(~0x0fUL)

/* Extended capabilities: a chain of dword headers from 0x100. */
#define PCI_CFG_SPACE_SIZE	256
#define PCI_CFG_SPACE_EXP_SIZE	4096
#define PCI_EXT_CAP_ID(header)		((header) & 0x0000ffff)
#define PCI_EXT_CAP_NEXT(header)	(((header) >> 20) & 0xffc)

#define PCI_EXT_CAP_ID_ERR	0x01
#define PCI_EXT_CAP_ID_VNDR	0x0B
#define PCI_ERR_UNCOR_MASK	0x08
#define PCI_ERR_UNC_MALF_TLP	0x00040000
#define PCI_ERR_UNC_INTN	0x00400000

#define PCI_VENDOR_ID_IBM	0x1014
#define PCI_ANY_ID		(~0U)

/* pci_ops return codes. */
#define PCIBIOS_SUCCESSFUL		0x00
#define PCIBIOS_DEVICE_NOT_FOUND	0x86
#define PCIBIOS_BAD_REGISTER_NUMBER	0x87
#define PCIBIOS_SET_FAILED		0x88

/* Six BARs and the expansion ROM; the model has no bridges or SR-IOV. */
#define PCI_STD_NUM_BARS	6
#define PCI_NUM_RESOURCES	7

struct resource {
	resource_size_t start;
	resource_size_t end;	/* inclusive */
	const char *name;
	unsigned long flags;
};

#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000
#define IORESOURCE_UNSET	0x20000000	/* sized, but no address assigned */
#define IORESOURCE_BUSY		0x80000000	/* claimed by pci_request_region() */

/* EEH channel states and recovery results (kernel values). */
typedef unsigned int pci_channel_state_t;

enum pci_channel_state {
	pci_channel_io_normal = 1,
	pci_channel_io_frozen = 2,
	pci_channel_io_perm_failure = 3,
};

typedef unsigned int pci_ers_result_t;

enum pci_ers_result {
	PCI_ERS_RESULT_NONE = 1,
	PCI_ERS_RESULT_CAN_RECOVER = 2,
	PCI_ERS_RESULT_NEED_RESET = 3,
	PCI_ERS_RESULT_DISCONNECT = 4,
	PCI_ERS_RESULT_RECOVERED = 5,
	PCI_ERS_RESULT_NO_AER_DRIVER = 6,
};

enum pcie_reset_state {
	pcie_deassert_reset = 1,
	pcie_warm_reset = 2,	/* fundamental reset: PERST */
	pcie_hot_reset = 3,
};

struct pci_bus;
struct pci_driver;

struct pci_dev {
	struct list_head bus_list;	/* on bus->devices */
	struct pci_bus *bus;
	unsigned int devfn;
	unsigned short vendor;
	unsigned short device;
	unsigned short subsystem_vendor;
	unsigned short subsystem_device;
	unsigned int class;
	struct pci_driver *driver;
	struct device dev;
	pci_channel_state_t error_state;
	unsigned int is_busmaster:1;
	struct resource resource[PCI_NUM_RESOURCES];
	int enable_cnt;			/* R3: pci_enable_device() nesting */
};

struct pci_ops {
	int (*read)(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val);
	int (*write)(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val);
};

struct pci_bus {
	struct list_head node;
	struct pci_bus *parent;
	struct list_head children;
	struct list_head devices;	/* struct pci_dev.bus_list */
	struct pci_dev *self;
	void *sysdata;			/* powerpc: the struct pci_controller */
	struct pci_ops *ops;
	unsigned char number;
	struct device *bridge;
};

struct pci_host_bridge {
	struct device dev;
	struct pci_bus *bus;
	struct pci_ops *ops;
	void *sysdata;
	void (*release_fn)(struct pci_host_bridge *bridge);
	void *release_data;
};

#define to_pci_host_bridge(n)	container_of(n, struct pci_host_bridge, dev)

struct pci_device_id {
	u32 vendor, device;
	u32 subvendor, subdevice;
	u32 class, class_mask;
	unsigned long driver_data;
};

#define PCI_DEVICE(vend, dev) \
	.vendor = (vend), .device = (dev), \
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID

struct pci_error_handlers {
	pci_ers_result_t (*error_detected)(struct pci_dev *dev, pci_channel_state_t state);
	pci_ers_result_t (*mmio_enabled)(struct pci_dev *dev);
	pci_ers_result_t (*slot_reset)(struct pci_dev *dev);
	void (*reset_prepare)(struct pci_dev *dev);
	void (*reset_done)(struct pci_dev *dev);
	void (*resume)(struct pci_dev *dev);
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
	void (*shutdown)(struct pci_dev *dev);
	const struct pci_error_handlers *err_handler;
	struct device_driver driver;
	struct list_head kshim_node;	/* R3: on the runtime's driver list */
};

#define to_pci_dev(n)	container_of(n, struct pci_dev, dev)

/* NULL when no driver is bound. */
static inline struct pci_driver *to_pci_driver(struct device_driver *drv)
{
	return drv ? container_of(drv, struct pci_driver, driver) : NULL;
}

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

static inline bool pci_channel_offline(struct pci_dev *pdev)
{
	return pdev->error_state != pci_channel_io_normal;
}

static inline struct device_node *pci_device_to_OF_node(const struct pci_dev *pdev)
{
	return pdev ? pdev->dev.of_node : NULL;
}

#define pci_resource_start(dev, bar)	((dev)->resource[(bar)].start)
#define pci_resource_end(dev, bar)	((dev)->resource[(bar)].end)
#define pci_resource_len(dev, bar) \
	(pci_resource_end(dev, bar) ? \
	 pci_resource_end(dev, bar) - pci_resource_start(dev, bar) + 1 : 0)

/* Config space; each returns 0 or a PCIBIOS_* code. */
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);
/* Offset of the next extended capability cap after start (0: from the top), or 0. */
u16 pci_find_next_ext_capability(struct pci_dev *dev, u16 start, int cap);
u16 pci_find_ext_capability(struct pci_dev *dev, int cap);
ssize_t pci_read_vpd(struct pci_dev *dev, loff_t pos, size_t count, void *buf);

int pci_enable_device(struct pci_dev *dev);
void pci_disable_device(struct pci_dev *dev);
void pci_set_master(struct pci_dev *dev);
int __must_check pci_request_region(struct pci_dev *dev, int bar, const char *name);
void pci_release_region(struct pci_dev *dev, int bar);
int pci_set_pcie_reset_state(struct pci_dev *dev, enum pcie_reset_state state);

int pci_register_driver(struct pci_driver *drv);
void pci_unregister_driver(struct pci_driver *drv);

/* Bus management, used by the vPHB. */
void pci_bus_add_devices(const struct pci_bus *bus);
void pci_remove_root_bus(struct pci_bus *bus);
void pci_set_host_bridge_release(struct pci_host_bridge *bridge,
				 void (*release_fn)(struct pci_host_bridge *bridge),
				 void *release_data);

/* powerpc PCI host bridges. */
#define PCI_PROBE_NONE		-1
#define PCI_PROBE_NORMAL	0
#define PCI_PROBE_DEVTREE	1

struct pci_controller;

struct pci_controller_ops {
	int (*probe_mode)(struct pci_bus *bus);
	/* True to allow pci_enable_device() of the device. */
	bool (*enable_device_hook)(struct pci_dev *pdev);
	void (*disable_device)(struct pci_dev *pdev);
	void (*release_device)(struct pci_dev *pdev);
	resource_size_t (*window_alignment)(struct pci_bus *bus, unsigned long type);
	void (*reset_secondary_bus)(struct pci_dev *pdev);
	int (*setup_msi_irqs)(struct pci_dev *pdev, int nvec, int type);
	void (*teardown_msi_irqs)(struct pci_dev *pdev);
	void (*shutdown)(struct pci_controller *hose);
};

struct pci_controller {
	struct pci_bus *bus;
	struct device_node *dn;
	struct device *parent;
	int global_number;
	struct pci_ops *ops;
	struct pci_controller_ops controller_ops;
	unsigned int __iomem *cfg_addr;
	void __iomem *cfg_data;
	void *private_data;
};

static inline struct pci_controller *pci_bus_to_host(const struct pci_bus *bus)
{
	return bus->sysdata;
}

struct pci_controller *pcibios_alloc_controller(struct device_node *dn);
/* Scans the PHB's root bus and sets hose->bus. */
void pcibios_scan_phb(struct pci_controller *hose);
void pcibios_free_controller_deferred(struct pci_host_bridge *bridge);
void pcibios_claim_one_bus(struct pci_bus *bus);

#endif /* _KSHIM_PCI_H */
