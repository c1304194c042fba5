// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of tests/test_shim_pci.c, part 1: boot, enumeration and
 * driver matching, config space, MMIO, the device tree, the CAPI switch
 * and mmap of a BAR page through the file layer.  See ks_pci.h.
 */
#define pr_fmt(fmt) "test-pci: " fmt

#include "../../driver_shim/host/cosim.h"
#include "../../driver_shim/host/hsched.h"
#include "../../driver_shim/host/kdev.h"
#include "ks_pci_k.h"
#include "ks_pci.h"

/* The default card's layout (psl_params_defaults, cosim slot 0). */
#define M64_BASE	0x3d05800000000ULL
#define BAR0_SIZE	(128ULL << 20)
#define BAR2_SIZE	(128ULL << 10)
#define VSEC		0x200
#define AER		0x100
#define PSL_DSNDCTL	0x150		/* P1, a plain store register */
#define PSL_VERSION	0x118		/* P1, read-only */

struct tp_log tp;

static void tp_note(char ev)
{
	if (tp.n < sizeof(tp.ev) - 1)
		tp.ev[tp.n++] = ev;
}

static const struct pci_device_id tp_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_IBM, 0x0477), },
	{ }
};

static int tp_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	tp_note('p');
	tp.pdev = dev;
	return id == &tp_ids[0] ? 0 : -EINVAL;
}

static void tp_remove(struct pci_dev *dev)
{
	tp_note('r');
	tp.pdev = NULL;
}

static struct pci_driver tp_driver = {
	.name = "test-pci",
	.id_table = tp_ids,
	.probe = tp_probe,
	.remove = tp_remove,
};

/* One initcall, so that boot has something to run. */
static int initcall_runs;

static int tp_initcall(void)
{
	initcall_runs++;
	return 0;
}
module_init(tp_initcall);

struct pci_dev *tp_boot(const struct pci_error_handlers *eh)
{
	memset(&tp, 0, sizeof(tp));
	if (kshim_boot())
		return NULL;
	tp_driver.err_handler = eh;
	pci_register_driver(&tp_driver);
	return tp.pdev;
}

void tp_shutdown(void)
{
	pci_unregister_driver(&tp_driver);
	kshim_shutdown();
}

int ks_pci_boot(void)
{
	const char *name;

	initcall_runs = 0;
	CHECK(kshim_boot() == 0);
	CHECK(initcall_runs == 1 && kshim_initcall_count() == 1);
	CHECK(kshim_initcall_result(0, &name) == 0 && !strcmp(name, "tp_initcall"));
	CHECK(kshim_initcall_result(1, NULL) == -EINVAL);
	CHECK(kshim_sysfs_exists("pci0000:00/0000:01:00.0"));
	kshim_shutdown();
	CHECK(!kshim_sysfs_exists("pci0000:00") && kshim_sysfs_nr_dirs() == 0);
	return 0;
}

int ks_pci_enumerate(void)
{
	struct pci_dev *pdev = tp_boot(NULL);

	CHECK(pdev && !strcmp(tp.ev, "p"));
	CHECK(pdev->vendor == PCI_VENDOR_ID_IBM && pdev->device == 0x0477);
	CHECK(pdev->class == 0x120000 && pdev->subsystem_vendor == PCI_VENDOR_ID_IBM);
	CHECK(!strcmp(dev_name(&pdev->dev), "0000:01:00.0") && pdev->devfn == 0);
	CHECK(pdev->error_state == pci_channel_io_normal);
	/* Firmware's BARs, sized as the kernel sizes them. */
	CHECK(pci_resource_start(pdev, 0) == M64_BASE && pci_resource_len(pdev, 0) == BAR0_SIZE);
	CHECK(pci_resource_start(pdev, 2) == M64_BASE + BAR0_SIZE);
	CHECK(pci_resource_len(pdev, 2) == BAR2_SIZE);
	CHECK(pdev->resource[0].flags ==
	      (IORESOURCE_MEM | IORESOURCE_PREFETCH | IORESOURCE_MEM_64));
	CHECK(pci_resource_len(pdev, 1) == 0 && pci_resource_len(pdev, 3) == 0);
	/* BAR 4 is the CAPI window: sized, left for the driver to place. */
	CHECK(pci_resource_len(pdev, 4) == 1ULL << 48);
	CHECK(pdev->resource[4].flags & IORESOURCE_UNSET);
	CHECK(pci_bus_to_host(pdev->bus)->global_number == 0);
	tp_shutdown();
	CHECK(!strcmp(tp.ev, "pr") && !tp.pdev);
	return 0;
}

static int other_probes;

static int other_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	other_probes++;
	return -ENODEV;
}

static const struct pci_device_id other_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_IBM, 0x0601), },
	{ .vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .subvendor = PCI_ANY_ID,
	  .subdevice = PCI_ANY_ID, .class = 0x120000, .class_mask = 0xffff00 },
	{ }
};

static struct pci_driver other_driver = {
	.name = "other",
	.id_table = other_ids,
	.probe = other_probe,
};

int ks_pci_match(void)
{
	memset(&tp, 0, sizeof(tp));
	other_probes = 0;
	CHECK(kshim_boot() == 0);
	/* Matches by class, refuses: the device stays free for the next driver. */
	CHECK(pci_register_driver(&other_driver) == 0 && other_probes == 1);
	CHECK(pci_register_driver(&tp_driver) == 0 && tp.pdev && !strcmp(tp.ev, "p"));
	CHECK(tp.pdev->driver == &tp_driver);
	pci_unregister_driver(&other_driver);
	CHECK(!strcmp(tp.ev, "p"));
	tp_shutdown();
	CHECK(!strcmp(tp.ev, "pr"));
	return 0;
}

int ks_pci_config(void)
{
	struct pci_dev *pdev = tp_boot(NULL);
	u16 w, cmd;
	u32 d;
	u8 b;

	CHECK(pdev);
	CHECK(pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_ERR) == AER);
	CHECK(pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_VNDR) == VSEC);
	CHECK(pci_find_next_ext_capability(pdev, VSEC, PCI_EXT_CAP_ID_VNDR) == 0);
	CHECK(pci_read_config_word(pdev, VSEC + 4, &w) == 0 && w == 0x1280);
	CHECK(pci_read_config_byte(pdev, VSEC + 0xf, &b) == 0 && b == 1);	/* CAIA major */
	CHECK(pci_read_config_word(pdev, VSEC + 5, &w) == PCIBIOS_BAD_REGISTER_NUMBER);
	CHECK(pci_read_config_dword(pdev, VSEC + 2, &d) == PCIBIOS_BAD_REGISTER_NUMBER);
	CHECK(pci_write_config_byte(pdev, VSEC + 0xa, 0x21) == 0);
	CHECK(pci_read_config_byte(pdev, VSEC + 0xa, &b) == 0 && b == 0x21);
	CHECK(pci_read_vpd(pdev, 0, 4, &d) == -ENODEV);
	/* Enabling turns memory decoding on; bus mastering comes and goes. */
	CHECK(pci_read_config_word(pdev, PCI_COMMAND, &cmd) == 0 && !cmd);
	CHECK(pci_enable_device(pdev) == 0 && pci_enable_device(pdev) == 0);
	pci_set_master(pdev);
	CHECK(pci_read_config_word(pdev, PCI_COMMAND, &cmd) == 0);
	CHECK(cmd == (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) && pdev->is_busmaster);
	pci_disable_device(pdev);
	CHECK(pci_read_config_word(pdev, PCI_COMMAND, &cmd) == 0 && cmd & PCI_COMMAND_MASTER);
	pci_disable_device(pdev);
	CHECK(pci_read_config_word(pdev, PCI_COMMAND, &cmd) == 0 && cmd == PCI_COMMAND_MEMORY);
	pci_disable_device(pdev);	/* one too many: WARN */
	/* BAR regions: claimed once; a BAR with no length always succeeds. */
	CHECK(pci_request_region(pdev, 0, "a") == 0 && pci_request_region(pdev, 0, "b") == -EBUSY);
	CHECK(pci_request_region(pdev, 1, "none") == 0);
	pci_release_region(pdev, 0);
	CHECK(pci_request_region(pdev, 0, "c") == 0);
	pci_release_region(pdev, 0);
	/* A dead device answers all-ones. */
	pdev->error_state = pci_channel_io_perm_failure;
	CHECK(pci_read_config_word(pdev, 0, &w) == PCIBIOS_DEVICE_NOT_FOUND && w == 0xffff);
	CHECK(pci_write_config_byte(pdev, VSEC + 0xa, 0) == PCIBIOS_DEVICE_NOT_FOUND);
	pdev->error_state = pci_channel_io_normal;
	tp_shutdown();
	return 0;
}

int ks_pci_mmio(void)
{
	struct pci_dev *pdev = tp_boot(NULL);
	const struct cosim_mmio_rec *rec;
	void __iomem *p1, *stray;
	unsigned long long t0;
	u8 bytes[8];

	CHECK(pdev && pci_enable_device(pdev) == 0);
	p1 = ioremap(pci_resource_start(pdev, 2), pci_resource_len(pdev, 2));
	CHECK(p1 && (unsigned long)p1 - cosim_iowin_base() < cosim_iowin_len());
	cosim_mmio_log(1);
	t0 = hsched_now();
	out_be64(p1 + PSL_DSNDCTL, 0x0102030405060708ULL);
	CHECK(in_be64(p1 + PSL_DSNDCTL) == 0x0102030405060708ULL);
	/* A store and a load, each at the card's cost. */
	CHECK(hsched_now() > t0);
	CHECK(in_le64(p1 + PSL_DSNDCTL) == 0x0807060504030201ULL);
	/*
	 * memcpy_fromio() copies in words, as powerpc's does; P1 takes 64-bit
	 * accesses only, so each word reads all-ones there.
	 */
	memcpy_fromio(bytes, p1 + PSL_DSNDCTL + 1, 7);
	CHECK(bytes[0] == 0xff && bytes[6] == 0xff);
	CHECK(in_le32(p1 + PSL_VERSION) == 0xffffffff);
	CHECK(cosim_mmio_log_len() == 8);
	rec = cosim_mmio_log_get(0);
	CHECK(rec && rec->write && rec->bar == 2 && rec->offset == PSL_DSNDCTL);
	CHECK(rec->width == 8 && rec->val == 0x0102030405060708ULL && rec->card == 0);
	CHECK(!cosim_mmio_log_get(1)->write);
	/* Three bytes up to the word boundary, then a word. */
	CHECK(cosim_mmio_log_get(3)->width == 1 && cosim_mmio_log_get(3)->offset == 0x151);
	CHECK(cosim_mmio_log_get(6)->width == 4 && cosim_mmio_log_get(6)->offset == 0x154);
	CHECK(cosim_mmio_log_get(7) && !cosim_mmio_log_get(8));
	cosim_mmio_log(0);
	/* No BAR decodes it: master abort, all-ones. */
	stray = ioremap(0x1000, 8);
	CHECK(stray && in_be64(stray) == ~0ULL);
	iounmap(stray);
	iounmap(p1);
	iounmap(p1);			/* not mapped any more: WARN */
	pci_disable_device(pdev);
	tp_shutdown();
	return 0;
}

int ks_pci_of(void)
{
	struct pci_dev *pdev = tp_boot(NULL);
	struct device_node *np, *dn;
	const __be32 *prop;
	int len, depth = 0;
	u32 v;

	CHECK(pdev);
	np = pnv_pci_get_phb_node(pdev);
	CHECK(np && atomic_read(&np->kref.refcount) == 2);
	prop = of_get_property(np, "ibm,chip-id", &len);
	CHECK(prop && len == 4 && be32_to_cpup(prop) == 0);
	CHECK(of_property_read_u32(np, "ibm,phb-index", &v) == 0 && v == 0);
	CHECK(of_property_read_u32(np, "nope", &v) == -EINVAL);
	CHECK(of_property_read_u32(np, "ibm,capp-timebase-sync", &v) == -ENODATA);
	CHECK(of_property_read_u32(np, "ibm,opal-msi-ranges", &v) == -EOVERFLOW);
	prop = of_get_property(np, "ibm,opal-msi-ranges", &len);
	CHECK(len == 8 && be32_to_cpu(prop[0]) == COSIM_MSI_BASE && be32_to_cpu(prop[1]) == 2048);
	CHECK(of_node_is_type(np, "pciex") && !of_node_is_type(NULL, "pciex"));
	/* The card is two pciex levels below the PHB's parent: not switched. */
	dn = of_node_get(pci_device_to_OF_node(pdev));
	while (dn) {
		dn = of_get_next_parent(dn);
		if (!of_node_is_type(dn, "pciex"))
			break;
		depth++;
	}
	of_node_put(dn);
	CHECK(depth == 2);
	of_node_put(np);
	CHECK(atomic_read(&np->kref.refcount) == 1);
	of_node_put(np);		/* below the tree's own reference: WARN */
	CHECK(atomic_read(&np->kref.refcount) == 1);
	tp_shutdown();
	return 0;
}

int ks_pci_capi_mode(void)
{
	struct pci_dev *pdev = tp_boot(NULL);

	CHECK(pdev);
	CHECK(pnv_phb_to_cxl_mode(pdev, OPAL_PHB_CAPI_MODE_CAPI) == 0);
	CHECK(pnv_phb_to_cxl_mode(pdev, OPAL_PHB_CAPI_MODE_SNOOP_ON) == 0);
	CHECK(pnv_phb_to_cxl_mode(pdev, OPAL_PHB_CAPI_MODE_SNOOP_ON) == 0);
	/* Only forward, one step at a time; DMA modes are not modelled. */
	CHECK(pnv_phb_to_cxl_mode(pdev, OPAL_PHB_CAPI_MODE_PCIE) == -EINVAL);
	CHECK(pnv_phb_to_cxl_mode(pdev, OPAL_PHB_CAPI_MODE_DMA) == -EOPNOTSUPP);
	tp_shutdown();
	return 0;
}

/* ---- mmap: a file whose page 0 is the card's P1 block ---- */

static int faults, closes;
static bool fault_sigbus;
static struct file *p1_file;

static vm_fault_t p1_fault(struct vm_fault *vmf)
{
	struct pci_dev *pdev = vmf->vma->vm_file->private_data;

	faults++;
	if (fault_sigbus)
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      (pci_resource_start(pdev, 2) >> PAGE_SHIFT) + vmf->pgoff);
}

static void p1_close(struct vm_area_struct *vma)
{
	closes++;
}

static const struct vm_operations_struct p1_vmops = {
	.fault = p1_fault,
	.close = p1_close,
};

static int p1_open(struct inode *inode, struct file *file)
{
	file->private_data = tp.pdev;
	p1_file = file;
	return 0;
}

static int p1_mmap(struct file *file, struct vm_area_struct *vma)
{
	if ((vma->vm_pgoff << PAGE_SHIFT) + vma->vm_end - vma->vm_start > BAR2_SIZE)
		return -EINVAL;
	vma->vm_flags |= VM_IO | VM_PFNMAP;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_ops = &p1_vmops;
	return 0;
}

static const struct file_operations p1_fops = {
	.open = p1_open,
	.mmap = p1_mmap,
};

int ks_pci_mmap(void)
{
	struct pci_dev *pdev = tp_boot(NULL);
	unsigned long long v;
	void __iomem *p1;
	struct device *d;
	struct cdev cdev;
	dev_t devt;
	int fd, map;

	faults = closes = 0;
	fault_sigbus = false;
	CHECK(pdev && pci_enable_device(pdev) == 0);
	CHECK(alloc_chrdev_region(&devt, 0, 1, "p1") == 0);
	cdev_init(&cdev, &p1_fops);
	cdev_add(&cdev, devt, 1);
	d = device_create(NULL, NULL, devt, NULL, "p1map");
	CHECK(!IS_ERR(d));
	fd = kshim_open("p1map", O_RDWR);
	CHECK(fd >= 0);
	CHECK(kshim_mmap(fd, BAR2_SIZE + PAGE_SIZE, 0) == -EINVAL);
	map = kshim_mmap(fd, PAGE_SIZE, 0);
	CHECK(map >= 0 && faults == 0);
	/* The first touch faults the page in; a little-endian CPU sees swapped bytes. */
	CHECK(kshim_map_store(map, PSL_DSNDCTL, 8, 0x1122334455667788ULL) == 0 && faults == 1);
	CHECK(kshim_map_load(map, PSL_DSNDCTL, 8, &v) == 0 && v == 0x1122334455667788ULL);
	CHECK(faults == 1);
	CHECK(kshim_map_load(map, PSL_DSNDCTL + 4, 8, &v) == -EINVAL);
	CHECK(kshim_map_load(map, PAGE_SIZE, 8, &v) == -EINVAL);
	/* Zapped pages fault again; a fault that fails is a SIGBUS. */
	unmap_mapping_range(p1_file->f_mapping, 0, 0, 1);
	fault_sigbus = true;
	CHECK(kshim_map_load(map, PSL_DSNDCTL, 8, &v) == -EFAULT && faults == 2);
	fault_sigbus = false;
	CHECK(kshim_map_load(map, PSL_DSNDCTL, 8, &v) == 0 && faults == 3);
	/* The card holds the bytes in memory order: big-endian, the number reversed. */
	p1 = ioremap(pci_resource_start(pdev, 2), PAGE_SIZE);
	CHECK(p1 && in_be64(p1 + PSL_DSNDCTL) == 0x8877665544332211ULL);
	iounmap(p1);
	/* P1 takes 64-bit accesses only: a byte reads all-ones. */
	CHECK(kshim_map_load(map, PSL_DSNDCTL, 1, &v) == 0 && v == 0xff);
	/* The mapping keeps the file: closing the descriptor first is fine. */
	CHECK(kshim_close(fd) == 0);
	CHECK(kshim_munmap(map) == 0 && closes == 1 && kshim_munmap(map) == -EINVAL);
	device_unregister(d);
	cdev_del(&cdev);
	unregister_chrdev_region(devt, 1);
	pci_disable_device(pdev);
	tp_shutdown();
	return 0;
}
